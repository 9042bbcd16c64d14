"""999 / 277CA / 835 collection and processing: per-claim states (K1–K5), proof kept (K6), claims
that never hear back (K7), unreadable files quarantined (K8), idempotency, unknown claims."""

from __future__ import annotations

import datetime as dt
import functools

import pytest
from django.utils import timezone

from claims.models import Claim, ClaimAcknowledgement, ClaimBatch, ClaimEvent, InboundFile
from claims.selectors.submission import (
    claim_acknowledgement_trail,
    claims_missing_acknowledgement,
    inbound_files_needing_attention,
    rejection_queue,
)
from claims.services import acknowledgements as ack_services
from claims.services import batch_file
from claims.services.acknowledgements import (
    claims_collect_enqueue,
    claims_responses_collect,
    inbound_file_process,
    inbound_file_receive,
)
from claims.services.batches import claim_batch_create, claim_batch_send
from core.models import BackgroundJob
from edi import x837p
from tests.claims.submission.acks import ack_277ca, ack_999
from tests.claims.submission.conftest import Office

pytestmark = pytest.mark.django_db


def _sent(
    office: Office, count: int, monkeypatch: pytest.MonkeyPatch | None = None
) -> tuple[ClaimBatch, list[Claim]]:
    """`count` claims sent in one batch (one claim per transaction set when `monkeypatch` is given)."""
    if monkeypatch is not None:
        monkeypatch.setattr(batch_file, "Batch", functools.partial(x837p.Batch, max_per_transaction=1))
    claims = office.ready_claims(count)
    batch = claim_batch_create(office.practice.pk, [c.pk for c in claims], actor=office.biller)
    claim_batch_send(batch_id=batch.pk)
    batch.refresh_from_db()
    return batch, sorted(claims, key=lambda c: c.pk)


def _status(claim: Claim) -> str:
    return Claim.objects.values_list("status", flat=True).get(pk=claim.pk)


def _collect(office: Office) -> ack_services.CollectReport:
    return claims_responses_collect(practice_id=office.practice.pk)


def test_k1_a_partial_999_rejects_only_the_claims_of_the_rejected_sets(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: three claims, one per transaction set (0001, 0002, 0003)
    batch, claims = _sent(office, 3, monkeypatch)
    assert batch.interchange_control_number is not None

    # when: AK9*P: set 0002 rejected
    office.clearinghouse.drop(
        "999", "b.999", ack_999(batch.interchange_control_number, {"0001": "A", "0002": "R", "0003": "A"})
    )
    report = _collect(office)

    # then: only the claim of 0002 is rejected, with where and what; the others stay submitted
    assert (report.collected, report.processed) == (1, 1)
    assert [_status(c) for c in claims] == ["submitted", "rejected", "submitted"]
    rejection = ClaimAcknowledgement.objects.get(claim=claims[1])
    assert (rejection.source, rejection.accepted) == ("999", False)
    assert "transaction 0002" in rejection.message
    assert "segment CLM (position 7, loop 2300)" in rejection.message
    assert "CLM05-1 (element 1331): a code that is not allowed" in rejection.message
    assert ClaimAcknowledgement.objects.filter(claim__in=[claims[0], claims[2]], accepted=True).count() == 2
    assert office.clearinghouse.collect_responses() == []  # archived after processing


def test_k2_a_failed_file_puts_every_claim_back_with_the_reason(office: Office) -> None:
    batch, claims = _sent(office, 3)
    assert batch.interchange_control_number is not None
    office.clearinghouse.drop("999", "f.999", ack_999(batch.interchange_control_number, {}, group_status="R"))

    _collect(office)

    # none is left "submitted": all rejected (the fix-and-resubmit queue), each with the reason
    assert {_status(c) for c in claims} == {"rejected"}
    queue = rejection_queue(practice_id=office.practice.pk)
    assert len(queue) == 3
    assert all("rejected the whole file" in row.reason for row in queue)


def test_k3_clearinghouse_acceptance_is_not_payer_acceptance(office: Office) -> None:
    batch, (claim,) = _sent(office, 1)
    pcn = claim.patient_control_number

    # when: the clearinghouse's 277CA A1, then the payer's A2 with its claim number
    office.clearinghouse.drop("277CA", "1.277", ack_277ca("AY", [(pcn, "A1:19:PR", "")]))
    _collect(office)
    after_clearinghouse = _status(claim)
    office.clearinghouse.drop("277CA", "2.277", ack_277ca("PR", [(pcn, "A2:20:PR", "PAY-777")]))
    _collect(office)

    # then
    assert after_clearinghouse == "accepted_clearinghouse"
    claim.refresh_from_db()
    assert (claim.status, claim.payer_claim_number) == ("accepted_payer", "PAY-777")
    sources = list(ClaimAcknowledgement.objects.filter(claim=claim).values_list("source", "accepted"))
    assert sources == [("clearinghouse_277ca", True), ("payer_277ca", True)]


def test_k3_payer_rejection_after_clearinghouse_acceptance_ends_rejected_by_the_payer(office: Office) -> None:
    batch, (claim,) = _sent(office, 1)
    pcn = claim.patient_control_number
    office.clearinghouse.drop("277CA", "1.277", ack_277ca("AY", [(pcn, "A1:19:PR", "")]))
    office.clearinghouse.drop("277CA", "2.277", ack_277ca("PR", [(pcn, "A7:562:85", "")]))

    _collect(office)

    assert _status(claim) == "rejected"
    (row,) = rejection_queue(practice_id=office.practice.pk)
    # K4: plain words naming the entity, and what to change; labelled by sender
    assert row.source == "payer_277ca"
    assert "the billing provider: NPI is missing or not valid (A7:562:85)" in row.reason
    assert "Fix: Correct the NPI" in row.reason
    history = list(
        ClaimEvent.objects.filter(claim=claim, kind="transition").values_list("to_status", flat=True)
    )
    assert history[-2:] == ["accepted_clearinghouse", "rejected"]


def test_k5_rejected_is_not_denied_and_needs_no_era(office: Office) -> None:
    batch, (claim,) = _sent(office, 1)
    office.clearinghouse.drop(
        "277CA", "1.277", ack_277ca("AY", [(claim.patient_control_number, "A7:33:IL", "")])
    )
    _collect(office)
    assert _status(claim) == "rejected"
    assert [r.claim_id for r in rejection_queue(practice_id=office.practice.pk)] == [claim.pk]
    # not waiting for an acknowledgement or an ERA any more
    later = timezone.now() + dt.timedelta(days=30)
    assert claims_missing_acknowledgement(practice_id=office.practice.pk, now=later) == []


def test_processing_the_same_999_twice_changes_nothing(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch, claims = _sent(office, 2, monkeypatch)
    assert batch.interchange_control_number is not None
    text = ack_999(batch.interchange_control_number, {"0001": "A", "0002": "R"})
    office.clearinghouse.drop("999", "x.999", text)
    _collect(office)
    before = (
        list(Claim.objects.order_by("pk").values_list("status", "status_changed_at")),
        ClaimAcknowledgement.objects.count(),
        ClaimEvent.objects.count(),
    )

    # when: the clearinghouse delivers the same file again (another name), and it is re-processed
    office.clearinghouse.drop("999", "x-again.999", text)
    report = _collect(office)
    (inbound,) = InboundFile.objects.all()
    inbound_file_process(inbound_file_id=inbound.pk)

    # then
    assert (report.collected, report.duplicates) == (1, 1)
    after = (
        list(Claim.objects.order_by("pk").values_list("status", "status_changed_at")),
        ClaimAcknowledgement.objects.count(),
        ClaimEvent.objects.count(),
    )
    assert after == before


def test_a_277ca_for_an_unknown_claim_is_recorded_and_flagged_and_changes_nothing(office: Office) -> None:
    batch, (claim,) = _sent(office, 1)
    events = ClaimEvent.objects.count()
    office.clearinghouse.drop("277CA", "u.277", ack_277ca("PR", [("NOSUCHCLAIM01", "A2:20:PR", "P-1")]))

    _collect(office)

    (inbound,) = InboundFile.objects.all()
    assert inbound.status == "processed"
    assert "'NOSUCHCLAIM01': no such claim in this practice" in inbound.error
    assert [f.pk for f in inbound_files_needing_attention(practice_id=office.practice.pk)] == [inbound.pk]
    assert ClaimAcknowledgement.objects.count() == 0
    assert ClaimEvent.objects.count() == events
    assert _status(claim) == "submitted"


def test_k8_an_unreadable_file_is_quarantined_with_the_error_not_skipped(office: Office) -> None:
    _sent(office, 1)
    office.clearinghouse.drop("277CA", "bad.277", "this is not X12")

    report = _collect(office)

    (inbound,) = InboundFile.objects.all()
    assert (report.failed, inbound.status, inbound.text) == (1, "failed", "this is not X12")
    assert inbound.error.startswith("The file could not be read")
    assert inbound in inbound_files_needing_attention(practice_id=office.practice.pk)


def test_a_document_is_archived_only_after_it_was_processed(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch, (claim,) = _sent(office, 1)
    office.clearinghouse.drop(
        "277CA", "c.277", ack_277ca("AY", [(claim.patient_control_number, "A1:19:PR", "")])
    )

    def crash(**kwargs: object) -> None:
        raise RuntimeError("worker died")

    with monkeypatch.context() as patched:
        patched.setattr(ack_services, "inbound_file_process", crash)
        with pytest.raises(ack_services.CollectFailed, match="worker died"):
            _collect(office)
    assert len(office.clearinghouse.collect_responses()) == 1  # still waiting at the clearinghouse

    _collect(office)  # the next run: stored already, processed now, archived

    assert office.clearinghouse.collect_responses() == []
    assert _status(claim) == "accepted_clearinghouse"
    assert InboundFile.objects.count() == 1


def test_an_835_waits_for_remittance_posting_or_is_handed_over(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sent(office, 1)
    office.clearinghouse.drop("835", "p.835", "ISA*... an ERA (not read here)")

    monkeypatch.setattr(ack_services, "era_posting_installed", lambda: False)
    _collect(office)
    (inbound,) = InboundFile.objects.all()
    assert (inbound.status, inbound.error) == ("received", ack_services.WAITING_FOR_REMITTANCE)

    monkeypatch.setattr(ack_services, "era_posting_installed", lambda: True)
    monkeypatch.setattr(ack_services, "job_enqueue_on_commit", lambda *a, **k: handed.append((a, k)))
    handed: list[object] = []
    _collect(office)  # the leftover received file is retried

    inbound.refresh_from_db()
    assert inbound.status == "processed"
    ((args, kwargs),) = handed  # type: ignore[misc]
    assert args == (ack_services.ERA_POST_TASK,)
    assert kwargs["inbound_file_id"] == inbound.pk


def test_k6_the_raw_acknowledgements_are_kept_with_the_claim(office: Office) -> None:
    batch, (claim,) = _sent(office, 1)
    assert batch.interchange_control_number is not None
    first = ack_999(batch.interchange_control_number, {"0001": "A"})
    second = ack_277ca("PR", [(claim.patient_control_number, "A2:20:PR", "PAY-1")])
    office.clearinghouse.drop("999", "1.999", first)
    office.clearinghouse.drop("277CA", "2.277", second)
    _collect(office)

    trail = claim_acknowledgement_trail(practice_id=office.practice.pk, claim_id=claim.pk)

    assert [(t.source, t.accepted, t.raw) for t in trail] == [
        ("999", True, first),
        ("payer_277ca", True, second),
    ]
    assert all(t.received_at for t in trail)


def test_k7_claims_with_no_acknowledgement_are_listed(office: Office, settings: object) -> None:
    batch, (quiet, acknowledged) = _sent(office, 2)
    assert batch.interchange_control_number is not None
    office.clearinghouse.drop("999", "1.999", ack_999(batch.interchange_control_number, {"0001": "A"}))
    _collect(office)
    now = timezone.now()

    assert claims_missing_acknowledgement(practice_id=office.practice.pk, now=now) == []
    three_days = claims_missing_acknowledgement(
        practice_id=office.practice.pk, now=now + dt.timedelta(days=3)
    )
    assert three_days == []  # both have their 999
    eight_days = claims_missing_acknowledgement(
        practice_id=office.practice.pk, now=now + dt.timedelta(days=8)
    )
    assert [s.claim_id for s in eight_days] == [quiet.pk, acknowledged.pk]
    assert eight_days[0].reason.startswith("No acknowledgement (277CA) from the payer in 7 days")


def test_k7_no_999_after_two_days(office: Office) -> None:
    batch, (claim,) = _sent(office, 1)
    stuck = claims_missing_acknowledgement(
        practice_id=office.practice.pk, now=timezone.now() + dt.timedelta(days=3)
    )
    assert [(s.claim_id, s.reason[:6]) for s in stuck] == [(claim.pk, "No 999")]


def test_the_beat_queues_one_collect_job_per_practice_and_slot(office: Office) -> None:
    _sent(office, 1)
    assert claims_collect_enqueue(slot="202603121000") == 1
    assert claims_collect_enqueue(slot="202603121000") == 1
    jobs = BackgroundJob.objects.filter(task_name="claims.tasks.claims_collect_task")
    assert [(j.kwargs, j.practice_id) for j in jobs] == [
        ({"practice_pk": office.practice.pk}, office.practice.pk)
    ]


def test_receiving_refuses_an_unknown_kind(office: Office) -> None:
    with pytest.raises(ValueError, match="Unknown inbound file kind"):
        inbound_file_receive(practice_id=office.practice.pk, kind="TA1", name="x", text="x")


def test_the_payers_277ca_accepting_a_replacement_closes_the_claim_it_replaces(office: Office) -> None:
    from claims.services.transitions import claim_new_version_draft

    # given: a claim the payer paid (claim number PAY-1), and its replacement (7) sent
    _batch, (claim,) = _sent(office, 1)
    Claim.objects.filter(pk=claim.pk).update(status="paid", payer_claim_number="PAY-1")
    replacement = claim_new_version_draft(claim.pk, actor=None, reason="Modifier fixed", frequency="7")
    Claim.objects.filter(pk=replacement.pk).update(status="submitted")
    replacement.refresh_from_db()
    # when: the clearinghouse and then the payer accept the replacement
    pcn = replacement.patient_control_number
    office.clearinghouse.drop("277CA", "r1.277", ack_277ca("AY", [(pcn, "A1:19:PR", "")]))
    _collect(office)
    assert _status(claim) == "paid"  # the clearinghouse's acceptance is not the payer's
    office.clearinghouse.drop("277CA", "r2.277", ack_277ca("PR", [(pcn, "A2:20:PR", "PAY-2")]))
    _collect(office)
    # then: the replaced claim is closed, with an event naming the replacement
    assert (_status(replacement), _status(claim)) == ("accepted_payer", "closed")
    assert ClaimEvent.objects.filter(claim=claim, to_status="closed", data__by_claim=replacement.pk).exists()
