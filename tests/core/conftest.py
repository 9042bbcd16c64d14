"""The accessibility markup test uses the clinical notes' practice (every role) and its clock."""

from tests.clinical_notes.conftest import clinic as clinic  # noqa: F401 - fixture
from tests.clinical_notes.conftest import frozen_now as frozen_now  # noqa: F401 - fixture
