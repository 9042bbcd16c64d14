from tests.clinical_notes.conftest import clinic, eager_tasks, frozen_now  # noqa: F401
