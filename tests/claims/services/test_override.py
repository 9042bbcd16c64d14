"""A biller's override of a line (reason required, recorded, re-scrubbed), re-scrub and review."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from claims.models import Charge, ChargeEvent, ChargeSet
from claims.services import (
    charge_override,
    charge_set_mark_reviewed,
    charge_set_scrub,
    fee_schedule_entry_set,
)
from core.domain.service_types import ServiceType
from core.errors import NotFound, PermissionDenied, ValidationFailed
from practice.access import practice_access_for
from tests.claims.conftest import charges_of, final_note, lines_of
from tests.factories import PayerFactory, PracticeFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 16, 0, tzinfo=dt.UTC)


def override(billing, line, **changes):
    access = changes.pop("access", billing.biller)
    values = {
        "code": line.code,
        "units": line.units,
        "modifiers": list(line.modifiers),
        "place_of_service": line.place_of_service,
        "diagnosis_pointers": list(line.diagnosis_pointers),
        "reason": "Corrected after reviewing the note.",
    }
    values.update(changes)
    return charge_override(access=access, charge_id=line.pk, **values)


def snapshot(charge_set_id):
    charge_set = ChargeSet.objects.get(pk=charge_set_id)
    return (
        charge_set.status,
        charge_set.findings,
        list(
            Charge.objects.filter(charge_set_id=charge_set_id).values_list(
                "code", "units", "modifiers", "fee_cents"
            )
        ),
        ChargeEvent.objects.filter(charge_set_id=charge_set_id).count(),
        AuditEvent.objects.filter(action="update", object_type="charge_set").count(),
    )


def test_an_override_is_recorded_with_who_when_why_before_and_after_and_re_scrubbed(billing):
    note = final_note(billing, minutes=45)  # 90834-HO, clean
    line = charges_of(note).lines.get()
    # when: the biller bills 90837 for 45 minutes
    result = override(billing, line, code="90837", reason="Payer asked for the 60-minute code.")
    # then: the line changed, the fee followed, the scrubber put the set on hold
    assert lines_of(note) == [("90837", 1, ["HO"])]
    line.refresh_from_db()
    assert (line.overridden, line.unit_fee_cents, line.fee_cents) == (True, 14000, 14000)
    assert result.status == "on_hold"
    assert [(f["code"], f["field"]) for f in result.findings] == [("minutes_mismatch", "lines[0].code")]
    assert result.findings[0]["message"] == "45 minutes documented is 90834 (38-52 minutes), not 90837."
    event = ChargeEvent.objects.get(kind="overridden")
    assert (event.actor_id, event.actor_label, event.occurred_at, event.reason, event.charge_id) == (
        billing.clinic.biller_user.pk,
        billing.clinic.biller_user.username,
        NOW,
        "Payer asked for the 60-minute code.",
        line.pk,
    )
    assert (
        event.before["code"],
        event.after["code"],
        event.before["fee_cents"],
        event.after["fee_cents"],
    ) == (
        "90834",
        "90837",
        11000,
        14000,
    )
    assert list(
        ChargeEvent.objects.filter(charge_set=result).values_list("kind", "from_status", "to_status")
    ) == [
        ("captured", "", "captured"),
        ("scrubbed", "captured", "ready"),
        ("overridden", "", ""),
        ("scrubbed", "ready", "on_hold"),
    ]
    audit = AuditEvent.objects.get(action="update", object_type="charge_set")
    assert (audit.actor_id, audit.patient_id, audit.detail) == (
        billing.clinic.biller_user.pk,
        billing.patient.pk,
        "override;line=1;errors=1",
    )


def test_an_override_that_fixes_the_finding_clears_it(billing):
    # given: a telehealth session documented as POS 11 would need 02/10 ... the biller makes it 10
    note = final_note(billing, minutes=45, telehealth="audio_video", place_of_service="10")
    line = charges_of(note).lines.get()
    override(billing, line, place_of_service="11", reason="Test: wrong POS.")
    assert charges_of(note).status == "on_hold"
    assert [f["code"] for f in charges_of(note).findings] == ["pos_telehealth_mismatch"]
    # when
    result = override(
        billing, Charge.objects.get(pk=line.pk), place_of_service="10", reason="Patient was at home."
    )
    # then
    assert (result.status, result.findings, result.error_count) == ("ready", [], 0)


@pytest.mark.parametrize(
    ("_case", "changes", "field", "code"),
    [
        ("no reason", {"reason": "  "}, "reason", "override_reason_required"),
        ("unknown code", {"code": "99999"}, "code", "override_code_unknown"),
        ("negative units", {"units": -2}, "units", "override_units_invalid"),
        ("unknown modifier", {"modifiers": ["ZZ"]}, "modifiers", "override_modifier_invalid"),
        ("unknown POS", {"place_of_service": "77"}, "pos", "override_pos_unknown"),
        ("a diagnosis that doesn't exist", {"diagnosis_pointers": [1, 2]}, "diagnosis_pointers", "override_pointer_invalid"),
        ("nothing changed", {}, "__all__", "override_no_change"),
    ],
)  # fmt: skip
def test_bad_override_input_is_a_clear_error_and_writes_nothing(billing, _case, changes, field, code):
    note = final_note(billing, minutes=45)
    charge_set = charges_of(note)
    line = charge_set.lines.get()
    before = snapshot(charge_set.pk)
    # when
    with pytest.raises(ValidationFailed) as raised:
        override(billing, line, **changes)
    # then
    assert list(raised.value.field_errors) == [field]
    assert [p["code"] for p in raised.value.extra["problems"]] == [code]
    assert snapshot(charge_set.pk) == before


def test_a_technician_may_not_override_and_another_practice_finds_nothing(billing, make_member):
    note = final_note(billing, minutes=45)
    charge_set = charges_of(note)
    line = charge_set.lines.get()
    before = snapshot(charge_set.pk)
    with pytest.raises(PermissionDenied):
        override(billing, line, code="90837", access=billing.access(billing.clinic.tech_user))
    with pytest.raises(PermissionDenied):  # admins read charges but do not change them
        override(billing, line, code="90837", access=billing.admin)
    stranger = make_member("biller", PracticeFactory())
    with pytest.raises(NotFound):
        override(billing, line, code="90837", access=practice_access_for(user=stranger))
    assert snapshot(charge_set.pk)[:4] == before[:4]


def test_zero_units_drop_a_line_from_the_claim(billing):
    note = final_note(billing, service_type=ServiceType.CRISIS_PSYCHOTHERAPY, minutes=80)
    add_on = charges_of(note).lines.get(code="90840")
    result = override(billing, add_on, units=0, reason="Payer does not cover the add-on.")
    assert (result.status, result.findings) == ("ready", [])
    assert lines_of(note) == [("90839", 1, ["HO"]), ("90840", 0, ["HO"])]
    assert Charge.objects.get(pk=add_on.pk).fee_cents == 0


def test_re_scrub_picks_up_a_fixed_record(billing):
    # given: the patient's coverage (edited after capture) ends before the date of service
    note = final_note(billing, minutes=45)
    billing.coverage.terminates_on = dt.date(2026, 3, 1)
    billing.coverage.save(update_fields=["terminates_on"])
    charge_set = charges_of(note)
    # when
    result = charge_set_scrub(access=billing.biller, charge_set_id=charge_set.pk)
    # then
    assert result.status == "on_hold"
    assert [f["code"] for f in result.findings] == ["coverage_not_active"]
    # and when the record is fixed
    billing.coverage.terminates_on = None
    billing.coverage.save(update_fields=["terminates_on"])
    assert charge_set_scrub(access=billing.biller, charge_set_id=charge_set.pk).status == "ready"


def test_mark_reviewed_only_without_errors_and_an_override_clears_the_review(billing):
    note = final_note(billing, minutes=45)
    charge_set = charges_of(note)
    # when
    reviewed = charge_set_mark_reviewed(access=billing.biller, charge_set_id=charge_set.pk)
    # then
    assert (reviewed.status, reviewed.reviewed_by_id) == ("reviewed", billing.clinic.biller_user.pk)
    with pytest.raises(ValidationFailed):
        charge_set_mark_reviewed(access=billing.biller, charge_set_id=charge_set.pk)
    # an override puts it back on hold and clears the review
    line = charge_set.lines.get()
    held = override(billing, line, code="90837")
    assert (held.status, held.reviewed_at) == ("on_hold", None)
    with pytest.raises(ValidationFailed) as raised:
        charge_set_mark_reviewed(access=billing.biller, charge_set_id=charge_set.pk)
    assert raised.value.field_errors == {
        "status": ["Fix the scrubber's 1 error(s) before marking the charges reviewed."]
    }
    assert ChargeSet.objects.get(pk=charge_set.pk).status == "on_hold"


def test_a_fee_for_an_unknown_payer_or_code_is_refused(billing, other_practice):
    foreign = PayerFactory(practice=other_practice)
    with pytest.raises(ValidationFailed) as raised:
        fee_schedule_entry_set(
            access=billing.biller,
            code="ZZZZZ",
            amount_cents=-5,
            effective_from=dt.date(2026, 1, 1),
            payer_id=foreign.pk,
        )
    assert raised.value.field_errors == {
        "payer": ["No such payer in this practice."],
        "code": ["ZZZZZ is not a CPT/HCPCS code on 2026-01-01."],
        "amount_cents": ["A fee cannot be negative."],
    }


def test_setting_the_same_fee_twice_writes_and_audits_once(billing):
    from audit.models import AuditEvent
    from claims.models import FeeScheduleEntry

    # given
    def set_fee(cents):
        return fee_schedule_entry_set(
            access=billing.biller, code="90834", amount_cents=cents, effective_from=dt.date(2026, 1, 1)
        )

    def audited():
        return AuditEvent.objects.filter(object_type="fee_schedule_entry").count()

    # when
    first = set_fee(15000)
    after_first = audited()
    again = set_fee(15000)
    after_again = audited()
    changed = set_fee(16000)
    # then
    assert first.pk == again.pk == changed.pk
    assert (after_again - after_first, audited() - after_again) == (0, 1)
    assert FeeScheduleEntry.objects.get(pk=first.pk).amount_cents == 16000


def test_after_an_override_the_why_no_longer_gives_the_old_lines_reasons(billing):
    note = final_note(billing, minutes=45)  # 90834-HO
    before = list(charges_of(note).why)
    assert any("90834" in entry for entry in before)
    line = charges_of(note).lines.get()
    # when
    result = override(billing, line, code="90837", reason="Payer asked for the 60-minute code.")
    # then: nothing about 90834 still reads as a current reason; the change and its reason do
    assert not any("90834" in entry for entry in result.why[:-1])
    assert result.why[-1] == (
        f"Line 1 changed by {billing.clinic.biller_user.username}: 90834-HO, 1 unit → 90837-HO, 1 unit. "
        "Reason: Payer asked for the 60-minute code."
    )
    assert [entry for entry in before if "90834" not in entry] == result.why[:-1]
