"""Denial use cases: open denials from a posted ERA (idempotent), and a person's actions on them
(assign, correct and resubmit, appeal, transfer to the patient, write off, resolve) and on
appeals (letter, outcome). Each action is one transaction with a conditional status update,
a `DenialEvent` and an audit event.

Nothing here writes a denial off on its own (pitfall R4): `denial_write_off` needs the
WRITE_OFF capability and a reason. A CO amount never moves to the patient (D6); a rejection
is never appealed (D5). Those rules live in `denials.domain.workflow`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from claims.models import ClaimFrequency, ClaimStatus
from claims.services.transitions import claim_new_version_draft, claim_transition
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.jobs import job_enqueue_on_commit
from denials import selectors
from denials.domain.classify import classify, denial_from_adjustments
from denials.domain.deadlines import appeal_deadline, days_left, reminder_due
from denials.domain.table import denial_table
from denials.domain.workflow import (
    DenialFacts,
    Operation,
    Outcome,
    Source,
    Status,
    operation_problems,
    outcome_problems,
    outcome_status,
    target_status,
    write_off_reason_problems,
)
from denials.models import Appeal, Denial, DenialEvent, DenialReminder
from denials.selectors import DENIAL_OBJECT_TYPE, DenialSource
from ledger.models import Account, EntryKind
from ledger.services import ledger_entries_append

Kind = DenialEvent.Kind
APPEALABLE_CLAIM_STATUSES = frozenset({ClaimStatus.DENIED, ClaimStatus.PARTIALLY_PAID, ClaimStatus.PAID})


# ---- opening -------------------------------------------------------------------------------------


def _open_one(source: DenialSource, now: dt.datetime) -> Denial | None:
    draft = denial_from_adjustments(source.adjustments, paid_cents=source.paid_cents)
    if draft is None:
        return None
    rejected = source.source == Source.REJECTION
    result = classify(
        group=draft.group,
        carc=draft.carc,
        rarcs=source.rarcs,
        service_code=source.service_code,
        diagnoses=source.diagnoses,
        auth_on_file=source.auth_on_file,
        rejected=rejected,
    )
    denial, created = Denial.objects.get_or_create(
        practice_id=source.practice_id,
        source_key=source.source_key,
        defaults={
            "claim_id": source.claim_id,
            "claim_line_id": source.claim_line_id,
            "adjudication_id": source.adjudication_id,
            "line_adjudication_id": source.line_adjudication_id,
            "era_line_id": source.era_line_id,
            "era_claim_id": source.era_claim_id,
            "payer_id": source.payer_id,
            "provider_id": source.provider_id,
            "patient_id": source.patient_id,
            "service_code": source.service_code,
            "service_date": source.service_date,
            "source": source.source,
            "group": draft.group,
            "carc": draft.carc,
            "carcs": list(draft.carcs),
            "rarcs": list(source.rarcs),
            "amount_cents": draft.cents,
            "category": result.category,
            "recommended_action": result.action,
            "why": result.why[:300],
            "parity_candidate": result.parity_candidate,
            "appeal_rights": result.appeal_rights,
            "status": Status.OPEN,
            "status_changed_at": now,
            "era_date": source.era_date,
            "appeal_deadline": (
                appeal_deadline(source.era_date, source.appeal_window_days) if result.appeal_rights else None
            ),
        },
    )
    if created:
        DenialEvent.objects.create(
            denial=denial,
            kind=Kind.OPENED,
            actor_label="Parity (ERA posting)" if not rejected else "Parity (rejection)",
            occurred_at=now,
            to_status=Status.OPEN,
            data={"codes": list(draft.carcs), "rarcs": list(source.rarcs), "cents": draft.cents},
        )
    return denial if created else None


def denials_open(*, sources: list[DenialSource]) -> list[Denial]:
    """Open a denial for each denied source line; a source already opened is skipped (its
    `source_key` is unique per practice), so running this twice opens nothing twice."""
    now = timezone.now()
    opened: list[Denial] = []
    with transaction.atomic():
        for source in sources:
            denial = _open_one(source, now)
            if denial is not None:
                opened.append(denial)
            elif source.paid_cents > 0 and source.line_number is not None:
                _resolve_paid_later(source, now)
    return opened


def _resolve_paid_later(source: DenialSource, now: dt.datetime) -> None:
    """R3: a later ERA paid a line we had a denial for (the corrected claim, or the payer
    reprocessed it): the denial is resolved, with the payment in its history. A denial in appeal
    is left to the person, who records the outcome and the amount recovered."""
    claim_ids = {source.claim_id} | ({source.replaces_claim_id} if source.replaces_claim_id else set())
    for denial in selectors.denials_paid_later(
        practice_id=source.practice_id, claim_ids=claim_ids, line_number=source.line_number or 0
    ):
        Denial.objects.filter(pk=denial.pk, status=denial.status).update(
            status=Status.RESOLVED, status_changed_at=now, updated_at=now
        )
        DenialEvent.objects.create(
            denial=denial,
            kind=Kind.RESOLVED,
            actor_label="Parity (ERA posting)",
            occurred_at=now,
            from_status=denial.status,
            to_status=Status.RESOLVED,
            reason="A later remittance paid the line.",
            data={"source": source.source_key, "paid_cents": source.paid_cents, "claim_id": source.claim_id},
        )


def denials_open_for_adjudication(*, adjudication_id: int) -> int:
    """Open the denials of one recorded adjudication (idempotent)."""
    return len(
        denials_open(sources=selectors.denial_sources_for_adjudication(adjudication_id=adjudication_id))
    )


def denials_open_for_era(*, era_file_id: int) -> int:
    """The durable job "denials.tasks.denials_open_for_era": every matched, denied ERA line
    (and claim-level denial) of a posted ERA becomes a denial. Idempotent."""
    return len(denials_open(sources=selectors.denial_sources_for_era(era_file_id=era_file_id)))


# ---- actions -------------------------------------------------------------------------------------


def _require_edit(access: PracticeAccess) -> None:
    if not access.can(Capability.BILLING_EDIT):
        raise PermissionDenied()


def _locked(access: PracticeAccess, denial_id: int) -> Denial:
    denial = Denial.objects.select_for_update().filter(practice_id=access.practice_id, pk=denial_id).first()
    if denial is None:
        raise NotFound()
    return denial


def _facts(denial: Denial) -> DenialFacts:
    return DenialFacts(
        status=denial.status, group=denial.group, source=denial.source, appeal_rights=denial.appeal_rights
    )


def _audit(
    access: PracticeAccess, denial: Denial, detail: str, action: str = AuditEvent.Action.UPDATE
) -> None:
    audit_event_record(
        context=access.audit,
        action=action,
        category=Category.BILLING,
        practice_id=access.practice_id,
        patient_id=denial.patient_id,
        object_type=DENIAL_OBJECT_TYPE,
        object_id=denial.pk,
        detail=detail[:200],
    )


def _transition(
    access: PracticeAccess,
    denial: Denial,
    *,
    to: Status,
    kind: str,
    reason: str = "",
    data: dict[str, object] | None = None,
) -> DenialEvent:
    now = timezone.now()
    changed = Denial.objects.filter(pk=denial.pk, status=denial.status).update(
        status=to, status_changed_at=now, updated_at=now
    )
    if changed != 1:
        raise Conflict("Someone else changed this denial; reload it.")
    event = DenialEvent.objects.create(
        denial=denial,
        kind=kind,
        actor_id=access.user_id,
        actor_label=access.username,
        occurred_at=now,
        from_status=denial.status,
        to_status=to,
        reason=reason,
        data=data or {},
    )
    _audit(access, denial, f"{kind}:{denial.status}->{to}")
    denial.status = to
    denial.status_changed_at = now
    return event


def _check(operation: Operation, denial: Denial) -> None:
    problems = operation_problems(operation, _facts(denial))
    if problems:
        raise ValidationFailed(problems[0], code=f"denial_{operation.value}_not_allowed")


def denial_assign(*, access: PracticeAccess, denial_id: int, user_id: int | None) -> Denial:
    _require_edit(access)
    if user_id is not None and not selectors.is_practice_biller(
        practice_id=access.practice_id, user_id=user_id
    ):
        raise ValidationFailed("Assign the denial to someone in this practice who works denials.")
    with transaction.atomic(durable=True):
        denial = _locked(access, denial_id)
        denial.assigned_to_id = user_id
        denial.save(update_fields=["assigned_to", "updated_at"])
        DenialEvent.objects.create(
            denial=denial,
            kind=Kind.ASSIGNED,
            actor_id=access.user_id,
            actor_label=access.username,
            occurred_at=timezone.now(),
            data={"user_id": user_id},
        )
        _audit(access, denial, f"assigned:{user_id or ''}")
    return denial


def _replacement_claim_id(access: PracticeAccess, denial: Denial, note: str) -> int | None:
    """The claim's replacement (frequency 7) for a denial the payer adjudicated: the draft the
    claims app corrects, scrubs and sends; one per claim (a second denied line of the same claim
    finds it). A rejection is fixed in place by the claims app: no new version. Not
    `claim_replace` (the claims screens'), which scrubs the copy at once and applies the payer's
    correction rules (docs/decisions/0053)."""
    if denial.source == Source.REJECTION:
        return None
    existing = selectors.claim_replacement_id(claim_id=denial.claim_id)
    if existing is not None:
        return existing
    return claim_new_version_draft(
        denial.claim_id, actor=access, reason=note, frequency=ClaimFrequency.REPLACEMENT
    ).pk


def denial_correct_and_resubmit(*, access: PracticeAccess, denial_id: int, note: str) -> Denial:
    """Correct and resubmit: for an adjudicated claim, a replacement (frequency 7, with the
    payer's claim number: refused without it, pitfall C7) as a draft for the claims screens;
    for a rejection, the same claim is fixed in place. Records what to fix."""
    _require_edit(access)
    if not note.strip():
        raise ValidationFailed("Say what is corrected.", field_errors={"note": ["Say what is corrected."]})
    with transaction.atomic(durable=True):
        denial = _locked(access, denial_id)
        _check(Operation.CORRECT_AND_RESUBMIT, denial)
        replacement = _replacement_claim_id(access, denial, note.strip())
        _transition(
            access,
            denial,
            to=target_status(Operation.CORRECT_AND_RESUBMIT),
            kind=Kind.RESUBMITTED,
            reason=note.strip(),
            data={
                "claim_id": denial.claim_id,
                "frequency": "1" if denial.source == Source.REJECTION else "7",
                "replacement_claim_id": replacement,
            },
        )
    return denial


def denial_appeal(*, access: PracticeAccess, denial_id: int, note: str = "") -> Appeal:
    """Open the next appeal level (the letter is generated on download, from the case as it is
    then). A rejection or an unprocessable claim has nothing to appeal (D5)."""
    _require_edit(access)
    with transaction.atomic(durable=True):
        denial = _locked(access, denial_id)
        _check(Operation.APPEAL, denial)
        level = (
            Appeal.objects.filter(denial=denial).order_by("-level").values_list("level", flat=True).first()
            or 0
        ) + 1
        if selectors.claim_status(claim_id=denial.claim_id) in APPEALABLE_CLAIM_STATUSES:
            claim_transition(
                denial.claim_id, ClaimStatus.APPEALED, actor=access, reason=f"Appeal level {level}"
            )
        appeal = Appeal.objects.create(
            practice_id=access.practice_id,
            denial=denial,
            level=level,
            parity=denial.parity_candidate,
            note=note.strip(),
            created_by_id=access.user_id,
        )
        _transition(
            access,
            denial,
            to=target_status(Operation.APPEAL),
            kind=Kind.APPEALED,
            reason=note.strip(),
            data={"appeal_id": appeal.pk, "level": level, "parity": appeal.parity},
        )
    return appeal


def denial_transfer_to_patient(*, access: PracticeAccess, denial_id: int, reason: str) -> Denial:
    """Move a PR amount the payer assigned to the patient onto the patient's balance. A CO
    amount is refused (D6) whatever the reason."""
    _require_edit(access)
    with transaction.atomic(durable=True):
        denial = _locked(access, denial_id)
        _check(Operation.TRANSFER_TO_PATIENT, denial)
        if not reason.strip():
            raise ValidationFailed("Say why the patient owes this.", field_errors={"reason": ["Required."]})
        _transition(
            access,
            denial,
            to=target_status(Operation.TRANSFER_TO_PATIENT),
            kind=Kind.TRANSFERRED,
            reason=reason.strip(),
            data={"cents": denial.amount_cents, "group": denial.group},
        )
    return denial


def _ledger_write_off(access: PracticeAccess, denial: Denial, reason: str) -> int:
    """The ledger row of a write-off: what the ledger parked as denied on the line (at most the
    denied amount) leaves the `denied` account as `write_off`. Nothing parked (a contractual or
    OA/PI line, posted elsewhere): nothing to move. Returns the cents moved."""
    cents = min(selectors.denied_balance_cents(denial=denial), denial.amount_cents)
    if cents <= 0:
        return 0
    ledger_entries_append(
        rows=[
            {
                "practice_id": denial.practice_id,
                "patient_id": denial.patient_id,
                "claim_id": denial.claim_id,
                "claim_line_id": denial.claim_line_id,
                "account": Account.DENIED,
                "kind": EntryKind.WRITE_OFF,
                "amount_cents": -cents,
                "group": denial.group,
                "reason_code": denial.carc[:5],
                "era_line_id": denial.era_line_id,
                "era_claim_id": denial.era_claim_id,
                "reference": f"denial:{denial.pk}",
                "occurred_on": timezone.now().date(),
                "actor_id": access.user_id,
                "memo": reason[:200],
            }
        ]
    )
    return cents


def denial_write_off(*, access: PracticeAccess, denial_id: int, reason: str) -> Denial:
    """Write the denied amount off: a person with WRITE_OFF, with a reason (R4)."""
    if not access.can(Capability.WRITE_OFF):
        raise PermissionDenied("Writing off needs the write-off permission.")
    problems = write_off_reason_problems(reason)
    if problems:
        raise ValidationFailed(problems[0], field_errors={"reason": problems})
    with transaction.atomic(durable=True):
        denial = _locked(access, denial_id)
        _check(Operation.WRITE_OFF, denial)
        moved = _ledger_write_off(access, denial, reason.strip())
        _transition(
            access,
            denial,
            to=target_status(Operation.WRITE_OFF),
            kind=Kind.WRITTEN_OFF,
            reason=reason.strip(),
            data={"cents": denial.amount_cents, "ledger_cents": moved},
        )
    return denial


def denial_resolve(*, access: PracticeAccess, denial_id: int, note: str) -> Denial:
    """The money arrived (the corrected claim was paid): close the denial."""
    _require_edit(access)
    with transaction.atomic(durable=True):
        denial = _locked(access, denial_id)
        _check(Operation.RESOLVE, denial)
        _transition(access, denial, to=Status.RESOLVED, kind=Kind.RESOLVED, reason=note.strip())
    return denial


# ---- appeals -------------------------------------------------------------------------------------


def appeal_submitted(*, access: PracticeAccess, appeal_id: int, submitted_on: dt.date) -> Appeal:
    """Record the day the appeal was sent (by a person: Parity sends nothing, D7)."""
    _require_edit(access)
    with transaction.atomic(durable=True):
        appeal = (
            Appeal.objects.select_for_update().filter(practice_id=access.practice_id, pk=appeal_id).first()
        )
        if appeal is None:
            raise NotFound()
        if appeal.status != Outcome.PENDING:
            raise ValidationFailed("This appeal already has its outcome.")
        appeal.submitted_on = submitted_on
        appeal.save(update_fields=["submitted_on", "updated_at"])
        denial = Denial.objects.get(pk=appeal.denial_id)
        _audit(access, denial, f"appeal_submitted:{appeal.pk}")
    return appeal


def appeal_letter_generated(*, access: PracticeAccess, appeal_id: int) -> None:
    """Stamp the appeal's letter as generated (the download calls it, once per download)."""
    with transaction.atomic(durable=True):
        appeal = (
            Appeal.objects.select_for_update().filter(practice_id=access.practice_id, pk=appeal_id).first()
        )
        if appeal is None:
            raise NotFound()
        now = timezone.now()
        appeal.letter_generated_at = now
        appeal.save(update_fields=["letter_generated_at", "updated_at"])
        DenialEvent.objects.create(
            denial_id=appeal.denial_id,
            kind=Kind.LETTER,
            actor_id=access.user_id,
            actor_label=access.username,
            occurred_at=now,
            data={"appeal_id": appeal.pk, "level": appeal.level, "parity": appeal.parity},
        )


def appeal_outcome_record(
    *, access: PracticeAccess, appeal_id: int, outcome: str, recovered_cents: int, outcome_on: dt.date
) -> Appeal:
    """Won: the denial is resolved. Partially won or lost: it returns to the queue for the next
    level, a correction or a write-off by a person. The amount recovered is checked against the
    amount denied."""
    _require_edit(access)
    try:
        result = Outcome(outcome)
    except ValueError:
        raise ValidationFailed("Choose won, partially won or lost.") from None
    with transaction.atomic(durable=True):
        appeal = (
            Appeal.objects.select_for_update().filter(practice_id=access.practice_id, pk=appeal_id).first()
        )
        if appeal is None:
            raise NotFound()
        if appeal.status != Outcome.PENDING:
            raise ValidationFailed("This appeal already has its outcome.")
        denial = _locked(access, appeal.denial_id)
        problems = outcome_problems(result, recovered_cents=recovered_cents, denied_cents=denial.amount_cents)
        if problems:
            raise ValidationFailed(problems[0], field_errors={"recovered": problems})
        appeal.status = result
        appeal.amount_recovered_cents = recovered_cents
        appeal.outcome_on = outcome_on
        appeal.save(update_fields=["status", "amount_recovered_cents", "outcome_on", "updated_at"])
        _transition(
            access,
            denial,
            to=outcome_status(result),
            kind=Kind.OUTCOME,
            data={"appeal_id": appeal.pk, "outcome": result.value, "recovered_cents": recovered_cents},
        )
    return appeal


# ---- reminders -----------------------------------------------------------------------------------


REMINDERS_TASK = "denials.tasks.denial_reminders_for_practice"


def denial_reminders_enqueue(*, day: dt.date) -> int:
    """The beat's work: one durable reminder job per practice for the day (the job key makes a
    second beat message the same day queue nothing). Returns the jobs queued."""
    with transaction.atomic(durable=True):
        ids = selectors.practice_ids()
        for practice_id in ids:
            job_enqueue_on_commit(
                REMINDERS_TASK,
                key=f"denials.reminders:{practice_id}:{day.isoformat()}",
                label="Appeal deadline reminders",
                practice_id=practice_id,
                practice_pk=practice_id,  # the task's argument (`practice_id` is the job's column)
            )
    return len(ids)


@dataclass(frozen=True, slots=True)
class ReminderRun:
    sent: int
    denial_ids: tuple[int, ...]


def denial_reminders_send(*, practice_id: int, today: dt.date) -> ReminderRun:
    """Record a reminder for each open denial whose appeal deadline is
    14, 7 or 2 days away (the tightest threshold reached, once per denial and threshold: a rerun
    sends nothing twice). The home page's "Denials due soon" tile shows them."""
    thresholds = denial_table().reminder_days
    horizon = today + dt.timedelta(days=max(thresholds))
    candidates = selectors.denials_with_deadline_before(practice_id=practice_id, until=horizon, since=today)
    now = timezone.now()
    sent: list[int] = []
    with transaction.atomic():
        for denial_id, deadline, already in candidates:
            threshold = reminder_due(days_left(deadline, today), sent=already, thresholds=thresholds)
            if threshold is None:
                continue
            _, created = DenialReminder.objects.get_or_create(
                denial_id=denial_id,
                threshold_days=threshold,
                defaults={"deadline": deadline, "sent_at": now},
            )
            if created:
                DenialEvent.objects.create(
                    denial_id=denial_id,
                    kind=Kind.REMINDED,
                    actor_label="Parity (deadline reminder)",
                    occurred_at=now,
                    data={"threshold_days": threshold, "deadline": deadline.isoformat()},
                )
                sent.append(denial_id)
    return ReminderRun(len(sent), tuple(sent))
