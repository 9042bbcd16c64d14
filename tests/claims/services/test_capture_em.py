"""A psychotherapy-with-E/M note signs into the E/M line, the psychotherapy add-on and +90785
(issue 8, item 3): everything billed comes from the note, through the coding engine."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.services import note_ready_to_bill_record
from core.domain.service_types import ServiceType
from practice.models import License
from tests.claims.conftest import charges_of, enroll
from tests.clinical_notes.helpers import session_start, sign, write_note
from tests.factories.clinical_content import complete_content_for

pytestmark = pytest.mark.django_db

WITH_EM = ServiceType.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM


@pytest.fixture
def psychiatrist(billing, make_member):
    user = make_member("clinician", billing.practice, provider=True, credential="MD/DO")
    provider = user.provider_profiles.get()
    License.objects.create(
        provider=provider, number="MD-1", state="NY", kind="MD", expires_on=dt.date(2027, 12, 31)
    )
    enroll(provider, billing.medicaid)
    return user


def em_note(billing, user, *, minutes: int, **answers: object):
    access = billing.access(user)
    content = {**complete_content_for(WITH_EM, seed=3), **answers}
    note = write_note(
        access,
        patient_id=billing.patient.pk,
        diagnosis_ids=[billing.clinic.diagnosis.pk],
        service_type=WITH_EM,
        start=session_start(day=9, hour=11),
        minutes=minutes,
        content=content,
    )
    note = sign(access, note)
    assert note.status == "final"
    note_ready_to_bill_record(note_id=note.pk)
    return charges_of(note)


def lines(charge_set):
    return [(c.code, c.units, c.add_on) for c in charge_set.lines.order_by("line_number")]


@pytest.mark.parametrize(
    ("_case", "minutes", "answers", "expected"),
    [
        (
            "45 minutes, E/M 99214, interactive complexity",
            45,
            {"em_code": "99214", "interactive_complexity": ["caregiver_interference"]},
            [("99214", 1, False), ("90836", 1, True), ("90785", 1, True)],
        ),
        (
            "37 minutes (top of the 30-minute band), E/M 99213",
            37,
            {"em_code": "99213"},
            [("99213", 1, False), ("90833", 1, True)],
        ),
        (
            "38 minutes (45-minute band), by time",
            38,
            {"em_code": "99212", "em_basis": "time", "em_minutes": 12},
            [("99212", 1, False), ("90836", 1, True)],
        ),
        ("53 minutes, E/M 99215", 53, {"em_code": "99215"}, [("99215", 1, False), ("90838", 1, True)]),
    ],
)
def test_a_psychotherapy_with_em_note_signs_into_em_add_on_and_interactive_complexity(
    billing, psychiatrist, _case, minutes, answers, expected
):
    # when: the psychiatrist signs the note (the hand-off captures its charges)
    charge_set = em_note(billing, psychiatrist, minutes=minutes, **answers)
    # then: the E/M line first, the add-on, +90785 when a reason was ticked; nothing held for a
    # missing primary
    assert lines(charge_set) == expected
    assert "add_on_without_primary" not in [f["code"] for f in charge_set.findings]
    assert charge_set.status == "ready", charge_set.findings
