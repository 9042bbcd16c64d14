"""Treatment-plan tests run in the clinical practice of tests/clinical_notes (same people, same
patients, time frozen the day after the sessions)."""

from tests.clinical_notes.conftest import Clinic as Clinic
from tests.clinical_notes.conftest import clinic as clinic
from tests.clinical_notes.conftest import frozen_now as frozen_now
