from tests.claims.conftest import billing  # noqa: F401
from tests.clinical_notes.conftest import clinic, eager_tasks, frozen_now  # noqa: F401
