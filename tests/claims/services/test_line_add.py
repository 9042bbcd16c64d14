"""A biller adds a line, with a reason, like any override (issue 8, item 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.models import Charge, ChargeEvent
from claims.services import charge_line_add
from core.errors import NotFound, PermissionDenied, ValidationFailed
from practice.access import practice_access_for
from tests.claims.conftest import charges_of, final_note, lines_of
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 16, 0, tzinfo=dt.UTC)


def add(billing, charge_set, **changes):
    access = changes.pop("access", billing.biller)
    values = {
        "code": "90785",
        "units": 1,
        "modifiers": ["HO"],
        "place_of_service": "11",
        "diagnosis_pointers": [1],
        "reason": "Interactive complexity: the caregiver's conflict is described in the note.",
    }
    values.update(changes)
    return charge_line_add(access=access, charge_set_id=charge_set.pk, **values)


def test_an_added_line_is_recorded_with_who_why_and_re_scrubbed(billing):
    # given: 45 minutes of psychotherapy, captured as 90834-HO (clean)
    note = final_note(billing, minutes=45)
    charge_set = charges_of(note)
    # when: the biller adds +90785 with a reason
    result = add(billing, charge_set)
    # then: the new line (an add-on, the note's minutes behind it), scrubbed, still ready
    assert lines_of(note) == [("90834", 1, ["HO"]), ("90785", 1, ["HO"])]
    added = Charge.objects.get(charge_set=charge_set, line_number=2)
    assert (added.add_on, added.overridden, added.documented_minutes, added.diagnosis_pointers) == (
        True,
        True,
        45,
        [1],
    )
    assert (result.status, result.findings) == ("ready", [])
    event = ChargeEvent.objects.get(kind="line_added")
    assert (event.actor_id, event.occurred_at, event.charge_id, event.before, event.after["code"]) == (
        billing.clinic.biller_user.pk,
        NOW,
        added.pk,
        {},
        "90785",
    )
    assert event.reason.startswith("Interactive complexity")


def test_an_added_line_the_note_does_not_support_is_held_by_the_scrubber(billing):
    # given
    charge_set = charges_of(final_note(billing, minutes=45))
    # when: a crisis code added next to the psychotherapy
    result = add(billing, charge_set, code="90839", reason="Crisis noted.")
    # then: the same-day table and the crisis time rule both say why (other checks may add theirs)
    assert result.status == "on_hold"
    assert {"minutes_mismatch", "same_day_conflict"} <= {f["code"] for f in result.findings}


@pytest.mark.parametrize(
    ("_case", "changes", "field", "code"),
    [
        ("no reason", {"reason": " "}, "reason", "override_reason_required"),
        ("unknown code", {"code": "99999"}, "code", "override_code_unknown"),
        ("zero units", {"units": 0}, "units", "override_units_invalid"),
        ("negative units", {"units": -1}, "units", "override_units_invalid"),
        ("unknown POS", {"place_of_service": "77"}, "pos", "override_pos_unknown"),
        ("a diagnosis that doesn't exist", {"diagnosis_pointers": [2]}, "diagnosis_pointers", "override_pointer_invalid"),
    ],
)  # fmt: skip
def test_bad_input_is_a_clear_error_and_adds_nothing(billing, _case, changes, field, code):
    charge_set = charges_of(final_note(billing, minutes=45))
    with pytest.raises(ValidationFailed) as raised:
        add(billing, charge_set, **changes)
    assert code in [p["code"] for p in raised.value.extra["problems"] if p["field"] == field]
    assert Charge.objects.filter(charge_set=charge_set).count() == 1
    assert not ChargeEvent.objects.filter(kind="line_added").exists()


def test_only_billers_of_the_practice_add_lines(billing, make_member):
    charge_set = charges_of(final_note(billing, minutes=45))
    with pytest.raises(PermissionDenied):
        add(billing, charge_set, access=billing.access(billing.clinic.tech_user))
    with pytest.raises(PermissionDenied):
        add(billing, charge_set, access=billing.admin)
    stranger = make_member("biller", PracticeFactory())
    with pytest.raises(NotFound):
        add(billing, charge_set, access=practice_access_for(user=stranger))
    assert Charge.objects.filter(charge_set=charge_set).count() == 1
