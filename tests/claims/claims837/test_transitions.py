"""claim_transition: the state machine applied with a conditional UPDATE and an event; a lost
race is a Conflict; reopening what the payer has is a new version (nothing deleted)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from claims.models import Claim, ClaimEvent
from claims.services.assembly import claims_assemble
from claims.services.transitions import claim_new_version_draft, claim_transition
from core.errors import Conflict, ValidationFailed
from tests.claims.claims837.world import make_world, reviewed_set

MON = dt.date(2026, 3, 9)


def _ready_claim() -> Claim:
    world = make_world()
    reviewed_set(world, MON, [("90837", 1, 15000), ("90785", 1, 2500)])
    (claim_id,) = claims_assemble(world.practice.pk, actor=None).claim_ids
    return Claim.objects.get(pk=claim_id)


@pytest.mark.django_db
def test_a_transition_updates_and_appends_an_event():
    claim = _ready_claim()
    moved = claim_transition(claim.pk, "queued", actor=None, reason="In batch 1.", expected_from="ready")
    assert moved.status == "queued"
    event = ClaimEvent.objects.filter(claim=claim).last()
    assert (event.kind, event.from_status, event.to_status, event.reason, event.actor_label) == (
        "transition",
        "ready",
        "queued",
        "In batch 1.",
        "system:claims",
    )
    submitted = claim_transition(claim.pk, "submitted", actor=None)
    assert submitted.submitted_at is not None


@pytest.mark.django_db
def test_a_refused_transition_says_why_and_changes_nothing():
    claim = _ready_claim()
    with pytest.raises(ValidationFailed, match="cannot become paid"):
        claim_transition(claim.pk, "paid", actor=None)
    claim.refresh_from_db()
    assert claim.status == "ready"
    assert not ClaimEvent.objects.filter(claim=claim, to_status="paid").exists()


@pytest.mark.django_db
def test_a_stale_expected_status_is_a_conflict():
    claim = _ready_claim()
    claim_transition(claim.pk, "queued", actor=None)
    with pytest.raises(Conflict, match="someone else changed it"):
        claim_transition(claim.pk, "draft", actor=None, expected_from="ready")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_connections_racing_one_wins_the_other_gets_a_conflict():
    claim = _ready_claim()
    barrier = threading.Barrier(2)
    results: list[object] = []

    def move(to: str) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(claim_transition(claim.pk, to, actor=None, expected_from="ready"))
        except Exception as error:  # noqa: BLE001 - reported below
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(to,)) for to in ("queued", "draft")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    kinds = sorted(type(r).__name__ for r in results)
    assert kinds == ["Claim", "Conflict"]
    winner = next(r for r in results if isinstance(r, Claim))
    claim.refresh_from_db()
    assert claim.status == winner.status
    assert ClaimEvent.objects.filter(claim=claim, kind="transition", from_status="ready").count() == 1


def _with_payer(claim: Claim, status: str = "paid") -> Claim:
    for to in ("queued", "submitted", "accepted_clearinghouse", "accepted_payer", status):
        claim_transition(claim.pk, to, actor=None)
    Claim.objects.filter(pk=claim.pk).update(payer_claim_number="PAYER-777")
    return Claim.objects.get(pk=claim.pk)


@pytest.mark.django_db
def test_reopening_a_claim_the_payer_has_is_a_new_version():
    """Pitfall C17 (our reading): a replacement carries every line of the claim it replaces —
    a frequency-7 claim with only the denied line would take back the paid ones. The payer's
    claim number goes in REF*F8 (C7); the new version has its own numbers (C6)."""
    claim = _with_payer(_ready_claim())
    with pytest.raises(ValidationFailed, match="new version"):
        claim_transition(claim.pk, "ready", actor=None)
    new = claim_new_version_draft(claim.pk, actor=None, reason="Wrong modifier.", frequency="7")
    assert (new.version, new.replaces_id, new.original_id, new.frequency, new.status) == (
        2,
        claim.pk,
        claim.pk,
        "7",
        "draft",
    )
    assert new.payer_claim_number == "PAYER-777"
    assert new.patient_control_number != claim.patient_control_number
    old_lines = list(claim.lines.values_list("code", "line_control_number"))
    new_lines = list(new.lines.values_list("code", "line_control_number"))
    assert [c for c, _ in old_lines] == [c for c, _ in new_lines]
    assert not {lc for _, lc in old_lines} & {lc for _, lc in new_lines}
    claim.refresh_from_db()
    assert claim.status == "paid"  # untouched until the new version is accepted
    with pytest.raises(Conflict, match="newer version"):
        claim_new_version_draft(claim.pk, actor=None, reason="Again.", frequency="7")


@pytest.mark.django_db
def test_a_claim_the_payer_does_not_have_is_fixed_in_place_not_versioned():
    claim = _ready_claim()
    with pytest.raises(Conflict, match="fixed in place"):
        claim_new_version_draft(claim.pk, actor=None, reason="x", frequency="7")


@pytest.mark.django_db
def test_c7_no_payer_claim_number_no_correction():
    claim = _with_payer(_ready_claim())
    Claim.objects.filter(pk=claim.pk).update(payer_claim_number="")
    with pytest.raises(ValidationFailed, match="payer's claim number"):
        claim_new_version_draft(claim.pk, actor=None, reason="Fix.", frequency="8")


@pytest.mark.django_db
def test_a_users_transition_names_them_and_is_audited_and_a_technician_may_not():
    from audit.models import AuditEvent
    from core.errors import PermissionDenied
    from practice.access import practice_access_for
    from tests.factories import MembershipFactory

    claim = _ready_claim()
    tech = MembershipFactory(practice=claim.practice, role="technician").user
    with pytest.raises(PermissionDenied):
        claim_transition(
            claim.pk, "draft", actor=practice_access_for(user=tech, practice_id=claim.practice_id)
        )
    biller = MembershipFactory(practice=claim.practice, role="biller").user
    access = practice_access_for(user=biller, practice_id=claim.practice_id)
    claim_transition(claim.pk, "draft", actor=access, reason="Diagnosis to check.")
    event = ClaimEvent.objects.filter(claim=claim).last()
    assert (event.actor_id, event.actor_label, event.reason) == (
        biller.pk,
        biller.username,
        "Diagnosis to check.",
    )
    audit = AuditEvent.objects.filter(object_type="claim", object_id=str(claim.pk)).get()
    assert (audit.patient_id, audit.detail) == (claim.patient_id, "status=ready->draft")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_assemblies_at_once_build_each_claim_once():
    from claims.models import ClaimLine
    from claims.services.assembly import claims_assemble

    world = make_world()
    for offset in range(3):
        reviewed_set(world, MON + dt.timedelta(days=offset))
    barrier = threading.Barrier(2)
    results: list[object] = []

    def assemble() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(claims_assemble(world.practice.pk, actor=None).created)
        except Exception as error:  # noqa: BLE001 - reported below
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=assemble) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [0, 3]
    assert Claim.objects.filter(practice=world.practice).count() == 3
    assert ClaimLine.objects.filter(claim__practice=world.practice).count() == 3
