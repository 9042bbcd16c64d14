"""Claims assembly: grouping per billing frequency (session, day, week Sunday-Saturday, month),
the 50-line split, idempotency, the scrub that decides ready or draft, and the pitfalls C5, C6,
C11, C14, C15 and C16 at the claim level."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.models import Claim, ClaimEvent, ClaimLine
from claims.services.assembly import claims_assemble
from claims.services.transitions import claim_transition
from tests.claims.claims837.world import enroll, make_payer, make_world, reviewed_set
from tests.factories import CoverageFactory

pytestmark = pytest.mark.django_db

MON = dt.date(2026, 3, 9)  # a Monday


def _claims(world):
    return list(Claim.objects.filter(practice=world.practice).order_by("date_from", "pk"))


def _codes(claim):
    return [line.code for line in claim.lines.order_by("line_number")]


def test_per_session_one_claim_per_charge_set_ready_with_events_and_deadline():
    world = make_world(frequency="per_session")
    reviewed_set(world, MON)
    reviewed_set(world, MON, [("90791", 1, 20000)])
    result = claims_assemble(world.practice.pk, actor=None)
    assert result.created == 2
    assert result.ready == 2
    claims = _claims(world)
    assert {c.status for c in claims} == {"ready"}
    claim = claims[0]
    assert claim.timely_filing_deadline == MON + dt.timedelta(days=90)
    assert len(claim.patient_control_number) <= 17
    kinds = list(ClaimEvent.objects.filter(claim=claim).values_list("kind", "to_status"))
    assert kinds == [("created", "draft"), ("transition", "ready")]
    created = ClaimEvent.objects.filter(claim=claim, kind="created").get()
    assert created.detail == "scrubbed: errors=0;warnings=0"


def test_assembly_is_idempotent():
    world = make_world()
    reviewed_set(world, MON)
    first = claims_assemble(world.practice.pk, actor=None)
    second = claims_assemble(world.practice.pk, actor=None)
    assert first.created == 1
    assert second.created == 0
    assert Claim.objects.count() == 1
    assert ClaimLine.objects.count() == 1


def test_only_reviewed_insured_charges_are_assembled():
    world = make_world()
    reviewed_set(world, MON, status="ready")
    reviewed_set(world, MON, status="on_hold")
    assert claims_assemble(world.practice.pk, actor=None).created == 0


def test_per_day_groups_a_patients_sessions_of_one_date():
    world = make_world(frequency="per_day")
    reviewed_set(world, MON, [("90837", 1, 15000)])
    reviewed_set(world, MON, [("90785", 1, 2500)])
    reviewed_set(world, MON + dt.timedelta(days=1))
    claims = _claims(world)
    claims_assemble(world.practice.pk, actor=None)
    claims = _claims(world)
    assert [len(_codes(c)) for c in claims] == [2, 1]
    assert claims[0].total_cents == 17500


def test_weekly_groups_sunday_to_saturday():
    world = make_world(frequency="weekly")
    saturday, sunday = dt.date(2026, 3, 14), dt.date(2026, 3, 15)
    for day in (dt.date(2026, 3, 8), MON, saturday, sunday):  # Sun 8 .. Sat 14 | Sun 15
        reviewed_set(world, day)
    claims_assemble(world.practice.pk, actor=None)
    claims = _claims(world)
    assert [(c.date_from, c.date_to, len(_codes(c))) for c in claims] == [
        (dt.date(2026, 3, 8), saturday, 3),
        (sunday, sunday, 1),
    ]


def test_monthly_groups_by_calendar_month_with_a_line_per_date():
    world = make_world(frequency="monthly")
    for day in (dt.date(2026, 1, 31), dt.date(2026, 2, 1), dt.date(2026, 2, 28), dt.date(2026, 3, 1)):
        reviewed_set(world, day)
    claims_assemble(world.practice.pk, actor=None)
    claims = _claims(world)
    assert [(c.date_from, c.date_to) for c in claims] == [
        (dt.date(2026, 1, 31), dt.date(2026, 1, 31)),
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 1)),
    ]
    feb = claims[1]
    assert [line.service_date for line in feb.lines.order_by("line_number")] == [
        dt.date(2026, 2, 1),
        dt.date(2026, 2, 28),
    ]


def test_a_month_beyond_50_lines_is_split_and_diagnoses_are_renumbered():
    world = make_world(frequency="monthly")
    start = dt.date(2026, 1, 1)
    for index in range(26):  # 52 lines in January
        reviewed_set(
            world,
            start + dt.timedelta(days=index),
            [("H2019", 4, 8000), ("H0031", 1, 5000)],
            diagnoses=("F84.0",) if index % 2 else ("F90.2",),
        )
    claims_assemble(world.practice.pk, actor=None)
    claims = _claims(world)
    assert [len(_codes(c)) for c in claims] == [50, 2]
    first = claims[0]
    assert first.diagnoses == ["F90.2", "F84.0"]
    pointers = {tuple(line.diagnosis_pointers) for line in first.lines.all()}
    assert pointers == {(1,), (2,)}
    assert all(c.status == "ready" for c in claims)


def test_different_patients_payers_and_providers_are_different_claims():
    world = make_world(frequency="monthly")
    other_payer = make_payer(world.practice, frequency="monthly")
    enroll(world.clinician, other_payer)
    other_coverage = CoverageFactory(patient=world.patient, payer=other_payer, priority=1)
    reviewed_set(world, MON)
    reviewed_set(world, MON + dt.timedelta(days=1), payer=other_payer, coverage=other_coverage)
    reviewed_set(world, MON + dt.timedelta(days=2), rendering=world.supervisor)
    claims_assemble(world.practice.pk, actor=None)
    assert len(_claims(world)) == 3


def test_c16_a_line_already_on_an_earlier_claim_is_a_duplicate_error():
    """Pitfall C16: the same patient, payer, date, code and units billed again (a retried
    capture, a second note of the same service) is caught before a second claim goes out."""
    world = make_world()
    reviewed_set(world, MON)
    claims_assemble(world.practice.pk, actor=None)
    reviewed_set(world, MON)  # the same service again
    result = claims_assemble(world.practice.pk, actor=None)
    (claim,) = Claim.objects.filter(pk__in=result.claim_ids)
    assert claim.status == "draft"
    (finding,) = [f for f in claim.findings if f["code"] == "claim_duplicate_line"]
    assert "already billed on claim C" in finding["message"]


def test_c16_a_voided_claim_gives_its_charges_back_and_is_no_duplicate():
    world = make_world()
    reviewed_set(world, MON)
    (claim_id,) = claims_assemble(world.practice.pk, actor=None).claim_ids
    claim_transition(claim_id, "voided", actor=None, reason="Billed to the wrong payer.")
    result = claims_assemble(world.practice.pk, actor=None)
    assert result.created == 1
    assert result.ready == 1


def test_c5_zero_charge_claim_is_blocked_locally():
    """Pitfall C5: a zero-charge claim would bounce at the clearinghouse; it stays a draft."""
    world = make_world()
    reviewed_set(world, MON, [("90837", 1, 0)])
    (claim_id,) = claims_assemble(world.practice.pk, actor=None).claim_ids
    claim = Claim.objects.get(pk=claim_id)
    assert claim.status == "draft"
    codes = {f["code"] for f in claim.findings}
    assert {"claim_zero_charge", "claim_line_charge_not_positive"} <= codes


def test_c5_invalid_taxonomy_is_blocked_with_its_own_message():
    """Pitfall C5: a taxonomy code is 10 characters ending in X."""
    world = make_world()
    world.clinician.taxonomy_code = "101YP2500"
    world.clinician.save()
    reviewed_set(world, MON)
    (claim_id,) = claims_assemble(world.practice.pk, actor=None).claim_ids
    claim = Claim.objects.get(pk=claim_id)
    assert claim.status == "draft"
    assert any("'101YP2500' is not 10 characters ending in X" in f["message"] for f in claim.findings)


def test_c6_pcns_are_short_and_unique_and_line_controls_derive_from_them():
    """Pitfall C6: every claim's patient control number is at most 17 characters and unique."""
    world = make_world()
    for offset in range(5):
        reviewed_set(world, MON + dt.timedelta(days=offset))
    claims_assemble(world.practice.pk, actor=None)
    pcns = list(Claim.objects.values_list("patient_control_number", flat=True))
    assert len(set(pcns)) == 5
    assert all(len(p) <= 17 for p in pcns)
    controls = list(ClaimLine.objects.values_list("line_control_number", "claim__patient_control_number"))
    assert all(
        control.startswith(f"P{world.practice.pk}-{pcn}-") and len(control) <= 30 for control, pcn in controls
    )


def test_c11_incomplete_data_is_a_scrubber_error_never_a_broken_claim():
    """Pitfall C11: a coverage without a member ID (no subscriber to send) keeps the claim a
    draft with a finding naming what is missing; other claims are unaffected."""
    world = make_world()
    bad_coverage = CoverageFactory(patient=world.patient, payer=world.payer, member_id="")
    reviewed_set(world, MON, coverage=bad_coverage)
    reviewed_set(world, MON + dt.timedelta(days=1))
    result = claims_assemble(world.practice.pk, actor=None)
    assert (result.ready, result.draft) == (1, 1)
    draft = Claim.objects.get(status="draft")
    (finding,) = [f for f in draft.findings if f["code"] == "claim_incomplete_data"]
    assert "member ID" in finding["message"]
    assert finding["field"] == "subscriber.member_id"


def test_c11_billing_zip_must_be_zip_plus_4():
    world = make_world()
    world.practice.postal_code = "62701"
    world.practice.save()
    reviewed_set(world, MON)
    (claim_id,) = claims_assemble(world.practice.pk, actor=None).claim_ids
    claim = Claim.objects.get(pk=claim_id)
    assert claim.status == "draft"
    assert any(f["field"] == "billing_provider.address.postal_code" for f in claim.findings)


def test_c14_rendering_provider_not_enrolled_on_the_date_is_blocked():
    """Pitfall C14: the enrolment is checked again per date of service when the claim is built
    (it may have ended after the charges were reviewed)."""
    world = make_world(frequency="monthly")
    enrollment = world.clinician.enrollments.get(payer=world.payer)
    enrollment.ends_on = dt.date(2026, 3, 10)
    enrollment.save()
    reviewed_set(world, MON)
    reviewed_set(world, dt.date(2026, 3, 20))
    (claim_id,) = claims_assemble(world.practice.pk, actor=None).claim_ids
    claim = Claim.objects.get(pk=claim_id)
    assert claim.status == "draft"
    (finding,) = [f for f in claim.findings if f["code"] == "claim_provider_not_enrolled"]
    assert "does not cover Fri 20 Mar 2026" in finding["message"]


def test_c14_a_tech_billed_under_a_supervisor_needs_the_supervisors_enrolment():
    world = make_world()
    world.tech.enrollments.all().delete()
    reviewed_set(
        world, MON, rendering=world.tech, supervising=world.supervisor, supervisor_billing="with_supervisor"
    )
    (claim_id,) = claims_assemble(world.practice.pk, actor=None).claim_ids
    assert Claim.objects.get(pk=claim_id).status == "ready"
    world.supervisor.enrollments.all().delete()
    reviewed_set(world, MON + dt.timedelta(days=1), rendering=world.tech, supervising=world.supervisor,
                 supervisor_billing="with_supervisor")  # fmt: skip
    (claim_id,) = claims_assemble(world.practice.pk, actor=None).claim_ids
    claim = Claim.objects.get(pk=claim_id)
    assert claim.status == "draft"
    assert any("supervising provider" in f["message"] for f in claim.findings)


def test_c15_lines_with_different_auth_numbers_go_on_different_claims():
    """Pitfall C15: a claim carries one prior-authorization number (REF*G1); services under
    two authorizations in one month are two claims, each with its own number."""
    world = make_world(frequency="monthly")
    reviewed_set(world, MON, [("H2019", 4, 8000)], auth_number="AUTH-A")
    reviewed_set(world, MON + dt.timedelta(days=1), [("H2019", 4, 8000)], auth_number="AUTH-B")
    reviewed_set(world, MON + dt.timedelta(days=2), [("H2019", 4, 8000)], auth_number="AUTH-A")
    claims_assemble(world.practice.pk, actor=None)
    claims = _claims(world)
    assert sorted((c.prior_auth_number, len(_codes(c))) for c in claims) == [("AUTH-A", 2), ("AUTH-B", 1)]
    assert all(c.status == "ready" for c in claims)


def test_charge_set_warnings_are_carried_onto_the_claim():
    world = make_world()
    warning = {
        "code": "timely_filing_near",
        "message": "Filing deadline near.",
        "field": "",
        "severity": "warning",
    }
    reviewed_set(world, MON, findings=[warning])
    (claim_id,) = claims_assemble(world.practice.pk, actor=None).claim_ids
    claim = Claim.objects.get(pk=claim_id)
    assert claim.status == "ready"
    assert claim.warning_count == 1
    assert claim.findings[0]["code"] == "timely_filing_near"


def test_a_biller_assembles_with_an_audit_event_and_a_clinician_may_not():
    from audit.models import AuditEvent
    from core.errors import PermissionDenied
    from practice.access import practice_access_for
    from tests.factories import MembershipFactory

    world = make_world()
    reviewed_set(world, MON)
    clinician = MembershipFactory(practice=world.practice, role="clinician").user
    with pytest.raises(PermissionDenied):
        claims_assemble(
            world.practice.pk, actor=practice_access_for(user=clinician, practice_id=world.practice.pk)
        )
    assert Claim.objects.count() == 0
    biller = MembershipFactory(practice=world.practice, role="biller").user
    result = claims_assemble(
        world.practice.pk, actor=practice_access_for(user=biller, practice_id=world.practice.pk)
    )
    assert result.ready == 1
    claim = Claim.objects.get()
    assert claim.created_by == biller
    assert ClaimEvent.objects.filter(claim=claim, kind="created").get().actor_label == biller.username
    assert AuditEvent.objects.filter(object_type="claim", object_id="assemble", outcome="allowed").exists()
