"""The home-page tests use the clinical notes' practice (a supervised technician, a supervisor,
a clinician, a biller, an admin, a compliance auditor) and their frozen clock."""

from tests.clinical_notes.conftest import clinic as clinic  # noqa: F401 - fixture
from tests.clinical_notes.conftest import frozen_now as frozen_now  # noqa: F401 - fixture
