"""What comes back from the clearinghouse: stored as received, then applied to the claims.

* `claims_responses_collect(practice_id=)` (the beat's durable job): every document the adapter
  has waiting is stored (`InboundFile`, the same bytes once: sha256), processed, and only then
  archived at the adapter; a crash in between leaves it for the next run, which finds it stored.
* `inbound_file_process(inbound_file_id=)`: a 999 or 277CA becomes one `ClaimAcknowledgement`
  per claim, an event, and the status change `claims.domain.acknowledgements.status_after`
  allows (K1, K2, K3, K5); a 277CA's payer claim number is stored on the claim. An 835 is handed
  to the remittance app (durable job by task name) when it is installed. Processing the same
  file again changes nothing; a file that cannot be read is kept as "failed" with the error
  (K8: never silently skipped); a claim number nobody knows is recorded on the file as a flag.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from claims.adapters import claims_adapter_for
from claims.domain.acknowledgements import (
    ClaimVerdict,
    Outcome,
    claims_by_transaction,
    status_after,
    verdict_277ca,
    verdicts_999,
)
from claims.models import (
    Claim,
    ClaimAcknowledgement,
    ClaimBatch,
    ClaimBatchStatus,
    ClaimEvent,
    InboundFile,
    InboundFileKind,
    InboundFileStatus,
)
from claims.services.batches import SYSTEM_LABEL
from clearinghouse.interface import InboundDocument, collect_and_archive
from core.jobs import job_enqueue_on_commit, registered_task
from edi.errors import X12Error
from edi.x277ca import read_277ca
from edi.x999 import read_999

logger = logging.getLogger(__name__)

ERA_POST_TASK = "remittance.tasks.era_post_inbound_file"
COLLECT_TASK = "claims.tasks.claims_collect_task"
WAITING_FOR_REMITTANCE = "Waiting for remittance posting to be installed; kept as received."


@dataclass
class ProcessReport:
    file_id: int
    kind: str
    status: str
    acknowledged: int = 0
    moved: int = 0
    flags: list[str] = field(default_factory=list)


@dataclass
class CollectReport:
    collected: int = 0
    duplicates: int = 0
    processed: int = 0
    failed: int = 0
    files: list[int] = field(default_factory=list)


def inbound_file_receive(*, practice_id: int, kind: str, name: str, text: str) -> tuple[InboundFile, bool]:
    """Store a document as received (idempotent on its bytes). (file, created)."""
    if kind not in InboundFileKind.values:
        raise ValueError(f"Unknown inbound file kind {kind!r}")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with transaction.atomic():
        return InboundFile.objects.get_or_create(
            practice_id=practice_id,
            sha256=digest,
            defaults={"kind": kind, "name": name[:200], "text": text, "received_at": timezone.now()},
        )


def era_posting_installed() -> bool:
    try:
        registered_task(ERA_POST_TASK)
    except Exception:  # celery.exceptions.NotRegistered (a KeyError)
        return False
    return True


def inbound_file_process(*, inbound_file_id: int) -> ProcessReport:
    """Apply one stored file to the claims (once: a processed or failed file is left alone)."""
    with transaction.atomic():
        inbound = InboundFile.objects.select_for_update().get(pk=inbound_file_id)
        report = ProcessReport(inbound.pk, inbound.kind, inbound.status)
        if inbound.status != InboundFileStatus.RECEIVED:
            return report
        try:
            if inbound.kind == InboundFileKind.ACK_999:
                _process_999(inbound, report)
            elif inbound.kind == InboundFileKind.ACK_277CA:
                _process_277ca(inbound, report)
            else:
                if not era_posting_installed():
                    if inbound.error != WAITING_FOR_REMITTANCE:
                        inbound.error = WAITING_FOR_REMITTANCE
                        inbound.save(update_fields=["error", "updated_at"])
                    return report
                job_enqueue_on_commit(
                    ERA_POST_TASK,
                    key=f"era-post-inbound:{inbound.pk}",
                    label=f"Post the 835 received as file {inbound.pk}",
                    practice_id=inbound.practice_id,
                    inbound_file_id=inbound.pk,
                )
        except X12Error as error:
            report.status = inbound.status = InboundFileStatus.FAILED
            inbound.error = f"The file could not be read: {error}"[:2000]
            inbound.save(update_fields=["status", "error", "updated_at"])
            return report
        report.status = inbound.status = InboundFileStatus.PROCESSED
        inbound.error = "\n".join(report.flags)[:4000]
        inbound.save(update_fields=["status", "error", "updated_at"])
    return report


def _process_999(inbound: InboundFile, report: ProcessReport) -> None:
    for ack in read_999(inbound.text):
        control = ack.group_control_number.lstrip("0")
        batch = (
            ClaimBatch.objects.filter(
                practice_id=inbound.practice_id, interchange_control_number=int(control)
            )
            .exclude(status=ClaimBatchStatus.QUEUED)
            .first()
            if control.isdigit()
            else None
        )
        if batch is None or not batch.x12:
            report.flags.append(f"999 for group {ack.group_control_number}: no batch sent with that number.")
            continue
        verdicts = verdicts_999(ack, claims_by_transaction(batch.x12))
        claims = Claim.objects.filter(batch_items__batch=batch)
        _apply(inbound, report, verdicts, claims, batch_id=batch.pk)


def _process_277ca(inbound: InboundFile, report: ProcessReport) -> None:
    verdicts: list[ClaimVerdict] = []
    for ack in read_277ca(inbound.text):
        for level, status in ack.level_statuses:
            if status.rejected:
                report.flags.append(
                    f"277CA rejection above the claims (level {level}): {status.category}:{status.code}."
                )
        verdicts += [verdict_277ca(claim, from_clearinghouse=ack.from_clearinghouse) for claim in ack.claims]
    pcns = {verdict.claim_id for verdict in verdicts}
    claims = Claim.objects.filter(practice_id=inbound.practice_id, patient_control_number__in=pcns)
    _apply(inbound, report, verdicts, claims, batch_id=None)


def _apply(
    inbound: InboundFile,
    report: ProcessReport,
    verdicts: list[ClaimVerdict],
    claims_qs: QuerySet[Claim],
    *,
    batch_id: int | None,
) -> None:
    """Acknowledgement rows, events and status moves for `verdicts` (one query per kind of
    write, not per claim; one UPDATE per claim that moves)."""
    claims = {
        claim.patient_control_number: claim
        for claim in claims_qs.select_for_update().only(
            "pk", "status", "patient_control_number", "payer_claim_number", "frequency"
        )
    }
    now = timezone.now()
    done = set(ClaimAcknowledgement.objects.filter(inbound_file=inbound).values_list("claim_id", "source"))
    acks: list[ClaimAcknowledgement] = []
    events: list[ClaimEvent] = []
    for verdict in verdicts:
        claim = claims.get(verdict.claim_id)
        if claim is None:
            report.flags.append(
                f"{verdict.source.value} for claim {verdict.claim_id!r}: no such claim in this practice "
                f"({verdict.outcome.value}: {verdict.message})."
            )
            continue
        if (claim.pk, verdict.source.value) in done:
            continue
        done.add((claim.pk, verdict.source.value))
        message = verdict.message + (f". Fix: {verdict.fix}" if verdict.fix else "")
        acks.append(
            ClaimAcknowledgement(
                claim_id=claim.pk,
                inbound_file=inbound,
                batch_id=batch_id,
                source=verdict.source.value,
                accepted=verdict.accepted,
                category_code=verdict.category_code[:8],
                status_code=verdict.status_code[:8],
                message=message,
                payer_claim_number=verdict.payer_claim_number[:50],
                occurred_at=now,
            )
        )
        data: dict[str, object] = {
            "source": verdict.source.value,
            "outcome": verdict.outcome.value,
            "category": verdict.category_code,
            "status": verdict.status_code,
            "inbound_file": inbound.pk,
        }
        events.append(
            _event(claim.pk, ClaimEvent.Kind.ACKNOWLEDGED, claim.status, claim.status, message, now, data)
        )
        target = status_after(claim.status, verdict.source, verdict.outcome)
        if target is not None:
            extra = {}
            if verdict.payer_claim_number and claim.frequency == "1":
                extra["payer_claim_number"] = verdict.payer_claim_number[:50]
            moved = Claim.objects.filter(pk=claim.pk, status=claim.status).update(
                status=target, status_changed_at=now, **extra
            )
            if moved:
                events.append(
                    _event(claim.pk, ClaimEvent.Kind.TRANSITION, claim.status, target, message, now, data)
                )
                claim.status = target
                report.moved += 1
        elif verdict.payer_claim_number and claim.frequency == "1" and not claim.payer_claim_number:
            Claim.objects.filter(pk=claim.pk).update(payer_claim_number=verdict.payer_claim_number[:50])
        if target is None and verdict.outcome is Outcome.REJECTED:
            report.flags.append(
                f"Claim {verdict.claim_id}: a rejection arrived while it is {claim.status}; recorded, "
                "status kept."
            )
    ClaimAcknowledgement.objects.bulk_create(acks)
    ClaimEvent.objects.bulk_create(events)
    report.acknowledged += len(acks)


def _event(
    claim_id: int,
    kind: str,
    from_status: str,
    to_status: str,
    reason: str,
    at: datetime,
    data: dict[str, object],
) -> ClaimEvent:
    return ClaimEvent(
        claim_id=claim_id,
        kind=kind,
        from_status=from_status if kind == ClaimEvent.Kind.TRANSITION else "",
        to_status=to_status if kind == ClaimEvent.Kind.TRANSITION else "",
        actor_label=SYSTEM_LABEL,
        occurred_at=at,
        reason=reason,
        detail=f"{data['source']} {data['outcome']}"[:200],
        data=data,
    )


# -- collection ----------------------------------------------------------------------------------


class CollectFailed(Exception):
    """Some documents could not be handled; they stay at the clearinghouse for the next collect."""


def claims_responses_collect(*, practice_id: int) -> CollectReport:
    """Collect the practice's waiting documents: store, process, then archive each one (a
    document whose handling fails stays at the clearinghouse and the others go on); then retry
    any file left received (a crash between storing and processing, an 835 waiting). Raises
    `CollectFailed` at the end when a document failed, so the job shows it and retries."""
    adapter = claims_adapter_for(practice_id)
    report = CollectReport()

    def handle(document: InboundDocument) -> None:
        inbound, created = inbound_file_receive(
            practice_id=practice_id, kind=document.kind, name=document.name, text=document.text
        )
        report.collected += 1
        report.duplicates += not created
        report.files.append(inbound.pk)
        result = inbound_file_process(inbound_file_id=inbound.pk)
        report.failed += result.status == InboundFileStatus.FAILED
        report.processed += result.status == InboundFileStatus.PROCESSED

    outcome = collect_and_archive(adapter, handle)  # archives only what `handle` finished
    leftover = InboundFile.objects.filter(practice_id=practice_id, status=InboundFileStatus.RECEIVED).exclude(
        pk__in=report.files
    )
    for pk in leftover.values_list("pk", flat=True):
        try:
            result = inbound_file_process(inbound_file_id=pk)
        except Exception as error:
            logger.exception("Inbound file %s could not be processed", pk)
            outcome.failed.append((f"file {pk}", f"{type(error).__name__}: {error}"))
            continue
        report.processed += result.status == InboundFileStatus.PROCESSED
    if outcome.failed:
        raise CollectFailed("; ".join(f"{name}: {error}" for name, error in outcome.failed)[:2000])
    return report


def claims_collect_practice_ids() -> list[int]:
    """Practices that have sent claims (only they can have answers waiting)."""
    return sorted(
        set(ClaimBatch.objects.exclude(status=ClaimBatchStatus.QUEUED).values_list("practice_id", flat=True))
    )


def claims_collect_enqueue(*, slot: str) -> int:
    """The beat's work: one durable collect job per practice for this time slot (the key makes a
    second beat message for the same slot queue nothing)."""
    with transaction.atomic():
        ids = claims_collect_practice_ids()
        for practice_id in ids:
            job_enqueue_on_commit(
                COLLECT_TASK,
                key=f"claims.collect:{practice_id}:{slot}",
                label="Claim acknowledgements and remittances from the clearinghouse",
                practice_id=practice_id,
                practice_pk=practice_id,
            )
    return len(ids)
