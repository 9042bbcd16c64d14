"""Reads of denials and appeals: the sources a posted ERA opens denials from, the work queue,
a denial's detail, the appeal list, analytics, the home tile and the appeal letter.

Screens read through the `*_for_user` style functions here: practice-scoped, BILLING_VIEW,
audited (a list records the patients it showed). Each list is a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability, Role
from accounts.models import Membership
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from authorizations.selectors import authorization_match
from claims.models import Claim, ClaimAcknowledgement, ClaimAdjudication, ClaimLine, ClaimLineAdjudication
from clinical_notes.models import SessionNote
from core.errors import NotFound, PermissionDenied
from core.formatting import date_label
from core.money import format_cents
from denials.domain.classify import Adjustment, classify
from denials.domain.cost import cost_benefit
from denials.domain.deadlines import days_left, days_left_label
from denials.domain.letters import EvidenceFacts, EvidenceItem, NoteEvidence, argument, evidence_list
from denials.domain.patterns import DenialPoint, Pattern, enrollment_gaps, repeat_patterns
from denials.domain.table import action_label, category_label, denial_table
from denials.domain.workflow import (
    CLOSED,
    DenialFacts,
    Operation,
    Outcome,
    Source,
    Status,
    allowed_operations,
)
from denials.models import Appeal, Denial, DenialReminder
from eligibility.selectors import claim_eligibility
from payer_rules.selectors import payer_policy_on
from practice.models import Practice
from remittance.models import EraClaim, EraClaimState, EraFile, EraStatus
from treatment_plans.selectors import active_plan_dates_on

DENIAL_OBJECT_TYPE = "denial"
APPEAL_OBJECT_TYPE = "appeal"
QUEUE_LIMIT = 200
WORKING = (Status.OPEN, Status.IN_APPEAL, Status.RESUBMITTED)
STATUS_LABELS = {
    Status.OPEN: "Open",
    Status.IN_APPEAL: "In appeal",
    Status.RESUBMITTED: "Corrected and resubmitted",
    Status.TRANSFERRED: "Transferred to the patient",
    Status.WRITTEN_OFF: "Written off",
    Status.RESOLVED: "Resolved",
}
OUTCOME_LABELS = {
    Outcome.PENDING: "Pending",
    Outcome.WON: "Won",
    Outcome.PARTIALLY_WON: "Partially won",
    Outcome.LOST: "Lost",
}
ELIGIBILITY_WINDOW_DAYS = 30
REVERSAL_STATUS = "22"


def _require_view(access: PracticeAccess) -> None:
    if not access.can(Capability.BILLING_VIEW):
        raise PermissionDenied()


# ---- sources: what a posted ERA (or an adjudication) denies -----------------------------------------


@dataclass(frozen=True, slots=True)
class DenialSource:
    practice_id: int
    source_key: str
    claim_id: int
    claim_line_id: int | None
    payer_id: int
    provider_id: int | None
    patient_id: int
    service_code: str
    service_date: dt.date | None
    diagnoses: tuple[str, ...]
    adjustments: tuple[Adjustment, ...]
    rarcs: tuple[str, ...]
    paid_cents: int
    era_date: dt.date
    appeal_window_days: int
    auth_on_file: bool = False
    source: str = Source.PAYER
    adjudication_id: int | None = None
    line_adjudication_id: int | None = None
    era_line_id: int | None = None
    era_claim_id: int | None = None
    line_number: int | None = None
    replaces_claim_id: int | None = None  # the claim this one replaced (a corrected claim)


def adjustments_from_json(rows: list[dict[str, object]]) -> tuple[Adjustment, ...]:
    return tuple(
        Adjustment(
            group=str(r.get("group", "")), carc=str(r.get("reason", "")), cents=int(str(r.get("cents", 0)))
        )
        for r in rows
    )


@dataclass(slots=True)
class _SourceContext:
    windows: dict[tuple[int, dt.date], int] = field(default_factory=dict)

    def window(self, payer_id: int, on: dt.date) -> int:
        key = (payer_id, on)
        if key not in self.windows:
            self.windows[key] = payer_policy_on(payer_pk=payer_id, on=on).appeal_window_days or 180
        return self.windows[key]


def _auth_on_file(line: ClaimLine, *, carc_codes: set[str]) -> bool:
    """D1: for an authorization denial, is an authorization covering the date on file?"""
    if not carc_codes & {"197", "15"}:
        return False
    claim = line.claim
    return (
        authorization_match(
            patient_id=claim.patient_id,
            payer_id=claim.payer_id,
            code=line.code,
            on=line.service_date,
            provider_id=claim.rendering_provider_id,
        ).number
        is not None
    )


def denial_sources_for_adjudication(*, adjudication_id: int) -> list[DenialSource]:
    """The denied lines of one recorded adjudication (claims' record of an ERA claim), and its
    claim-level adjustments (kept at claim level, R9). A reversal opens nothing."""
    adjudication = (
        ClaimAdjudication.objects.select_related("claim")
        .prefetch_related("lines__claim_line__claim")
        .filter(pk=adjudication_id, is_reversal=False)
        .first()
    )
    if adjudication is None:
        return []
    claim = adjudication.claim
    context = _SourceContext()
    window = context.window(claim.payer_id, adjudication.adjudicated_on)
    common = {
        "practice_id": claim.practice_id,
        "claim_id": claim.pk,
        "payer_id": claim.payer_id,
        "provider_id": claim.rendering_provider_id,
        "patient_id": claim.patient_id,
        "diagnoses": tuple(claim.diagnoses or ()),
        "era_date": adjudication.adjudicated_on,
        "appeal_window_days": window,
        "adjudication_id": adjudication.pk,
    }
    sources: list[DenialSource] = []
    for row in adjudication.lines.all():
        adjustments = adjustments_from_json(row.adjustments)
        sources.append(
            DenialSource(
                source_key=f"adjudication-line:{row.pk}",
                claim_line_id=row.claim_line_id,
                line_number=row.claim_line.line_number,
                replaces_claim_id=claim.replaces_id,
                service_code=row.claim_line.code,
                service_date=row.claim_line.service_date,
                adjustments=adjustments,
                rarcs=tuple(row.remarks or ()),
                paid_cents=row.paid_cents,
                auth_on_file=_auth_on_file(row.claim_line, carc_codes={a.carc for a in adjustments}),
                line_adjudication_id=row.pk,
                **common,  # type: ignore[arg-type]
            )
        )
    claim_level = adjustments_from_json(adjudication.adjustments)
    if claim_level:
        sources.append(
            DenialSource(
                source_key=f"adjudication:{adjudication.pk}",
                claim_line_id=None,
                service_code="",
                service_date=claim.date_from,
                adjustments=claim_level,
                rarcs=(),
                paid_cents=adjudication.paid_cents if not sources else 0,
                **common,  # type: ignore[arg-type]
            )
        )
    return sources


def denial_sources_for_era(*, era_file_id: int) -> list[DenialSource]:
    """The denied lines of a posted ERA, read from what posting stored (remittance's EraClaim
    and EraLine: matched, posted, not reversals), with our claims' facts. Claim-level
    adjustments stay at claim level (R9). Five queries plus the payers' windows, and the
    authorization look-up for authorization denials (D1)."""
    era = EraFile.objects.filter(pk=era_file_id, status=EraStatus.POSTED).first()
    if era is None:
        return []
    era_date = era.payment_date or era.received_at.date()
    era_claims = list(
        EraClaim.objects.filter(era=era, state=EraClaimState.POSTED, claim_id__isnull=False)
        .exclude(status_code=REVERSAL_STATUS)
        .prefetch_related("lines")
        .order_by("position")
    )
    claims = {
        c.pk: c
        for c in Claim.objects.filter(pk__in={e.claim_id for e in era_claims}, practice_id=era.practice_id)
    }
    line_ids = {line.claim_line_id for e in era_claims for line in e.lines.all() if line.claim_line_id}
    claim_lines = {
        line.pk: line for line in ClaimLine.objects.filter(pk__in=line_ids).select_related("claim")
    }
    context = _SourceContext()
    sources: list[DenialSource] = []
    for era_claim in era_claims:
        claim = claims.get(era_claim.claim_id or 0)
        if claim is None:
            continue
        common = {
            "practice_id": claim.practice_id,
            "claim_id": claim.pk,
            "payer_id": claim.payer_id,
            "provider_id": claim.rendering_provider_id,
            "patient_id": claim.patient_id,
            "diagnoses": tuple(claim.diagnoses or ()),
            "era_date": era_date,
            "appeal_window_days": context.window(claim.payer_id, era_date),
            "era_claim_id": era_claim.pk,
        }
        lines = list(era_claim.lines.all())
        for era_line in lines:
            claim_line = claim_lines.get(era_line.claim_line_id or 0)
            if claim_line is None or claim_line.claim_id != claim.pk:
                continue
            adjustments = adjustments_from_json(era_line.adjustments)
            sources.append(
                DenialSource(
                    source_key=f"era-line:{era_line.pk}",
                    claim_line_id=claim_line.pk,
                    line_number=claim_line.line_number,
                    replaces_claim_id=claim.replaces_id,
                    service_code=claim_line.code,
                    service_date=claim_line.service_date,
                    adjustments=adjustments,
                    rarcs=tuple(dict.fromkeys([*era_line.remarks, *era_claim.remarks])),
                    paid_cents=era_line.paid_cents,
                    auth_on_file=_auth_on_file(claim_line, carc_codes={a.carc for a in adjustments}),
                    era_line_id=era_line.pk,
                    **common,  # type: ignore[arg-type]
                )
            )
        claim_level = adjustments_from_json(era_claim.adjustments)
        if claim_level:
            sources.append(
                DenialSource(
                    source_key=f"era-claim:{era_claim.pk}",
                    claim_line_id=None,
                    service_code="",
                    service_date=claim.date_from,
                    adjustments=claim_level,
                    rarcs=tuple(era_claim.remarks or ()),
                    paid_cents=0 if lines else era_claim.paid_cents,
                    **common,  # type: ignore[arg-type]
                )
            )
    return sources


def denials_paid_later(*, practice_id: int, claim_ids: set[int], line_number: int) -> list[Denial]:
    """Open or resubmitted denials of this line (on the claim or the claim it replaced), locked:
    a later ERA paid the line (R3)."""
    return list(
        Denial.objects.select_for_update()
        .filter(
            practice_id=practice_id,
            claim_id__in=claim_ids,
            claim_line__line_number=line_number,
            status__in=(Status.OPEN, Status.RESUBMITTED),
        )
        .order_by("pk")
    )


def practice_ids() -> list[int]:
    return list(Practice.objects.order_by("pk").values_list("pk", flat=True))


def claim_replacement_id(*, claim_id: int) -> int | None:
    """The claim's newer version (a replacement not voided), if one exists."""
    return (
        Claim.objects.filter(replaces_id=claim_id)
        .exclude(status="voided")
        .order_by("-version")
        .values_list("pk", flat=True)
        .first()
    )


def claim_status(*, claim_id: int) -> str:
    return str(Claim.objects.filter(pk=claim_id).values_list("status", flat=True).get())


def is_practice_biller(*, practice_id: int, user_id: int) -> bool:
    return Membership.objects.filter(
        practice_id=practice_id, user_id=user_id, is_active=True, role=Role.BILLER
    ).exists()


def denials_with_deadline_before(
    *, practice_id: int, until: dt.date, since: dt.date
) -> list[tuple[int, dt.date, frozenset[int]]]:
    """Open denials whose appeal deadline falls between `since` and `until`, with the reminder
    thresholds already sent (two queries)."""
    rows = list(
        Denial.objects.filter(
            practice_id=practice_id,
            status=Status.OPEN,
            appeal_deadline__gte=since,
            appeal_deadline__lte=until,
        ).values_list("pk", "appeal_deadline")
    )
    sent: dict[int, set[int]] = defaultdict(set)
    for denial_id, threshold in DenialReminder.objects.filter(denial_id__in=[r[0] for r in rows]).values_list(
        "denial_id", "threshold_days"
    ):
        sent[denial_id].add(threshold)
    return [(pk, deadline, frozenset(sent[pk])) for pk, deadline in rows if deadline is not None]


# ---- the work queue ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueueFilters:
    status: str = "working"  # "working" (open, in appeal, resubmitted), a status, or "all"
    category: str = ""
    payer_id: int | None = None
    provider_id: int | None = None
    code: str = ""  # CARC, e.g. "197"
    min_age_days: int | None = None
    min_cents: int | None = None
    max_cents: int | None = None
    claim_id: int | None = None
    assigned_to_id: int | None = None


@dataclass(frozen=True, slots=True)
class DenialRow:
    denial_id: int
    claim_id: int
    claim_number: str
    patient_name: str
    account_number: str
    payer_name: str
    provider_name: str
    service_code: str
    service_date: str
    codes: str  # "CO-197, OA-23"
    group: str
    carc: str
    label: str
    category: str
    category_label: str
    action_label: str
    amount: str
    amount_cents: int
    status: str
    status_label: str
    age_days: int
    deadline: str
    days_left: int | None
    days_left_label: str
    tone: str  # "bad" overdue or <= 2 days, "warn" <= 14 days
    parity: bool
    low_value: bool
    assigned_to: str


def _person(user: object | None) -> str:
    if user is None:
        return ""
    name: str = user.get_full_name() or user.get_username()  # type: ignore[attr-defined]
    return name


def _provider_name(provider: object | None) -> str:
    if provider is None:
        return ""
    return f"{provider.first_name} {provider.last_name}"  # type: ignore[attr-defined]


def _row(denial: Denial, today: dt.date) -> DenialRow:
    left = days_left(denial.appeal_deadline, today) if denial.appeal_deadline else None
    working = denial.status not in CLOSED
    tone = ""
    if working and left is not None and denial.status == Status.OPEN:
        tone = "bad" if left <= 2 else "warn" if left <= 14 else ""
    low = cost_benefit(cents=denial.amount_cents, category=denial.category, action=denial.recommended_action)
    rule = denial_table().carcs.get(denial.carc)
    patient = denial.patient
    return DenialRow(
        denial_id=denial.pk,
        claim_id=denial.claim_id,
        claim_number=denial.claim.patient_control_number,
        patient_name=f"{patient.last_name}, {patient.first_name}",
        account_number=patient.account_number,
        payer_name=denial.payer.name,
        provider_name=_provider_name(denial.provider),
        service_code=denial.service_code,
        service_date=date_label(denial.service_date),
        codes=", ".join(denial.carcs),
        group=denial.group,
        carc=denial.carc,
        label=rule.label if rule else classify(group=denial.group, carc=denial.carc).carc.label,
        category=denial.category,
        category_label=category_label(denial.category),
        action_label=action_label(denial.recommended_action),
        amount=format_cents(denial.amount_cents),
        amount_cents=denial.amount_cents,
        status=denial.status,
        status_label=STATUS_LABELS.get(Status(denial.status), denial.status),
        age_days=(today - denial.era_date).days,
        deadline=date_label(denial.appeal_deadline) if denial.appeal_deadline else "No appeal rights",
        days_left=left,
        days_left_label=days_left_label(left) if left is not None and working else "",
        tone=tone,
        parity=denial.parity_candidate,
        low_value=low.low_value and working,
        assigned_to=_person(denial.assigned_to),
    )


def _filtered(access: PracticeAccess, filters: QueueFilters, today: dt.date) -> QuerySet[Denial]:
    rows = Denial.objects.filter(practice_id=access.practice_id)
    if filters.status == "working":
        rows = rows.filter(status__in=WORKING)
    elif filters.status != "all":
        rows = rows.filter(status=filters.status)
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.payer_id is not None:
        rows = rows.filter(payer_id=filters.payer_id)
    if filters.provider_id is not None:
        rows = rows.filter(provider_id=filters.provider_id)
    if filters.code:
        rows = rows.filter(carc=filters.code.strip().upper())
    if filters.min_age_days is not None:
        rows = rows.filter(era_date__lte=today - dt.timedelta(days=filters.min_age_days))
    if filters.min_cents is not None:
        rows = rows.filter(amount_cents__gte=filters.min_cents)
    if filters.max_cents is not None:
        rows = rows.filter(amount_cents__lte=filters.max_cents)
    if filters.claim_id is not None:
        rows = rows.filter(claim_id=filters.claim_id)
    if filters.assigned_to_id is not None:
        rows = rows.filter(assigned_to_id=filters.assigned_to_id)
    return rows


def _audit_list(access: PracticeAccess, rows: list[DenialRow] | list[Denial], detail: str) -> None:
    patient_ids = {r.patient_id for r in rows if isinstance(r, Denial)}
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.LIST,
        category=Category.BILLING,
        practice_id=access.practice_id,
        object_type=DENIAL_OBJECT_TYPE,
        detail=detail,
        shown_patient_ids=patient_ids,
    )


def denial_queue(
    *, access: PracticeAccess, filters: QueueFilters, today: dt.date, limit: int = QUEUE_LIMIT
) -> list[DenialRow]:
    """The work queue, nearest deadline first (no deadline last), then the largest amounts
    (three queries with the audit event, whatever the number of rows)."""
    _require_view(access)
    denials = list(
        _filtered(access, filters, today)
        .select_related("claim", "patient", "payer", "provider", "assigned_to")
        .order_by("appeal_deadline", "-amount_cents", "pk")[:limit]
    )
    _audit_list(access, denials, f"denials={len(denials)}")
    return [_row(d, today) for d in denials]


@dataclass(frozen=True, slots=True)
class DueSoon:
    count: int
    overdue: int
    nearest_days: int | None


def denials_due_soon(*, access: PracticeAccess, today: dt.date, within_days: int = 14) -> DueSoon:
    """Open denials whose appeal deadline is within `within_days` or past (one query): the
    biller's home tile. No PHI: counts only."""
    rows = Denial.objects.filter(
        practice_id=access.practice_id,
        status=Status.OPEN,
        appeal_deadline__lte=today + dt.timedelta(days=within_days),
    ).aggregate(
        count=Count("pk"),
        overdue=Count("pk", filter=Q(appeal_deadline__lt=today)),
    )
    nearest = (
        Denial.objects.filter(practice_id=access.practice_id, status=Status.OPEN, appeal_deadline__gte=today)
        .order_by("appeal_deadline")
        .values_list("appeal_deadline", flat=True)
        .first()
    )
    return DueSoon(
        count=rows["count"] or 0,
        overdue=rows["overdue"] or 0,
        nearest_days=days_left(nearest, today) if nearest else None,
    )


# ---- one denial ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventRow:
    when: dt.datetime
    kind: str
    who: str
    change: str
    reason: str


@dataclass(frozen=True, slots=True)
class AppealRow:
    appeal_id: int
    denial_id: int
    level: int
    parity: bool
    status: str
    status_label: str
    recovered: str
    submitted_on: str
    outcome_on: str
    letter_generated: bool
    patient_name: str
    payer_name: str
    claim_number: str
    amount: str
    deadline: str


@dataclass(frozen=True, slots=True)
class CodeRow:
    code: str
    label: str
    known: bool


@dataclass(frozen=True, slots=True)
class DenialDetail:
    row: DenialRow
    patient_id: int
    source: str
    why: str
    kind: str
    codes: tuple[CodeRow, ...]
    rarcs: tuple[CodeRow, ...]
    operations: tuple[str, ...]
    assigned_to_id: int | None
    can_write_off: bool
    cost_hint: str
    low_value: bool
    events: tuple[EventRow, ...]
    appeals: tuple[AppealRow, ...]
    evidence: tuple[EvidenceItem, ...]
    era_date: str
    claim_status: str


def _appeal_row(appeal: Appeal) -> AppealRow:
    denial = appeal.denial
    patient = denial.patient
    return AppealRow(
        appeal_id=appeal.pk,
        denial_id=denial.pk,
        level=appeal.level,
        parity=appeal.parity,
        status=appeal.status,
        status_label=OUTCOME_LABELS.get(Outcome(appeal.status), appeal.status),
        recovered=format_cents(appeal.amount_recovered_cents),
        submitted_on=date_label(appeal.submitted_on),
        outcome_on=date_label(appeal.outcome_on),
        letter_generated=appeal.letter_generated_at is not None,
        patient_name=f"{patient.last_name}, {patient.first_name}",
        payer_name=denial.payer.name,
        claim_number=denial.claim.patient_control_number,
        amount=format_cents(denial.amount_cents),
        deadline=date_label(denial.appeal_deadline),
    )


def _get(access: PracticeAccess, denial_id: int) -> Denial:
    denial = (
        Denial.objects.select_related("claim", "patient", "payer", "provider", "assigned_to")
        .filter(practice_id=access.practice_id, pk=denial_id)
        .first()
    )
    if denial is None:
        raise NotFound()
    return denial


def _audit_one(access: PracticeAccess, denial: Denial, *, action: str, detail: str = "") -> None:
    audit_event_record(
        context=access.audit,
        action=action,
        category=Category.BILLING,
        practice_id=access.practice_id,
        patient_id=denial.patient_id,
        object_type=DENIAL_OBJECT_TYPE,
        object_id=denial.pk,
        detail=detail,
    )


def denial_get(*, access: PracticeAccess, denial_id: int, today: dt.date) -> DenialDetail:
    _require_view(access)
    denial = _get(access, denial_id)
    _audit_one(access, denial, action=AuditEvent.Action.VIEW)
    result = classify(group=denial.group, carc=denial.carc, rarcs=tuple(denial.rarcs))
    facts = DenialFacts(
        status=denial.status, group=denial.group, source=denial.source, appeal_rights=denial.appeal_rights
    )
    operations = (
        tuple(op.value for op in allowed_operations(facts)) if access.can(Capability.BILLING_EDIT) else ()
    )
    if not access.can(Capability.WRITE_OFF):
        operations = tuple(op for op in operations if op != Operation.WRITE_OFF)
    hint = cost_benefit(cents=denial.amount_cents, category=denial.category, action=denial.recommended_action)
    events = [
        EventRow(
            when=e.occurred_at,
            kind=e.get_kind_display(),
            who=e.actor_label,
            change=f"{STATUS_LABELS.get(Status(e.from_status), '')} → {STATUS_LABELS.get(Status(e.to_status), '')}"
            if e.from_status and e.to_status
            else "",
            reason=e.reason,
        )
        for e in denial.events.all()
    ]
    appeals = [
        _appeal_row(a)
        for a in Appeal.objects.filter(denial=denial).select_related("denial").order_by("level")
    ]
    codes = []
    for text in denial.carcs:
        group, _, code = text.partition("-")
        label = classify(group=group, carc=code).carc
        codes.append(CodeRow(text, label.label, label.known))
    return DenialDetail(
        row=_row(denial, today),
        patient_id=denial.patient_id,
        source=denial.source,
        why=denial.why,
        kind=result.kind,
        codes=tuple(codes),
        rarcs=tuple(CodeRow(r.code, r.label, r.known) for r in result.rarcs),
        operations=operations,
        assigned_to_id=denial.assigned_to_id,
        can_write_off=access.can(Capability.WRITE_OFF),
        cost_hint=hint.hint,
        low_value=hint.low_value,
        events=tuple(events),
        appeals=tuple(appeals),
        evidence=evidence_list(denial.category, _evidence(denial)) if denial.appeal_rights else (),
        era_date=date_label(denial.era_date),
        claim_status=denial.claim.get_status_display(),
    )


def appeal_list(*, access: PracticeAccess, status: str = "") -> list[AppealRow]:
    """Appeals by status (pending first), three queries with the audit event."""
    _require_view(access)
    rows = Appeal.objects.filter(practice_id=access.practice_id).select_related(
        "denial", "denial__patient", "denial__payer", "denial__claim"
    )
    if status:
        rows = rows.filter(status=status)
    appeals = list(rows.order_by("status", "-created_at", "-pk")[:QUEUE_LIMIT])
    _audit_list(access, [a.denial for a in appeals], f"appeals={len(appeals)}")
    return [_appeal_row(a) for a in appeals]


def appeal_denial_id(*, access: PracticeAccess, appeal_id: int) -> int:
    _require_view(access)
    denial_id = (
        Appeal.objects.filter(practice_id=access.practice_id, pk=appeal_id)
        .values_list("denial_id", flat=True)
        .first()
    )
    if denial_id is None:
        raise NotFound()
    return int(denial_id)


# ---- the appeal letter -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LetterCode:
    code: str
    label: str


@dataclass(frozen=True, slots=True)
class AppealLetter:
    title: str
    subject: str
    prepared_on: str
    prepared_by: str
    payer_name: str
    payer_address: str
    practice_name: str
    practice_npi: str
    patient_name: str
    patient_birth_date: str
    member_id: str
    claim_number: str
    payer_claim_number: str
    service: str
    service_date: str
    provider_name: str
    amount: str
    era_date: str
    deadline: str
    level: int
    codes: tuple[LetterCode, ...]
    code_summary: str
    category: str
    argument: tuple[str, ...]
    evidence: tuple[EvidenceItem, ...]
    parity: bool


def _evidence(denial: Denial) -> EvidenceFacts:
    claim = denial.claim
    notes = tuple(
        NoteEvidence(
            service_date=n.date_of_service,
            label=f"{n.get_service_type_display()} with {n.author.first_name} {n.author.last_name}",
            addenda=n.addenda_count,  # type: ignore[attr-defined]
        )
        for n in SessionNote.objects.filter(charge_set__lines__claim_lines__claim_id=claim.pk, status="final")
        .select_related("author")
        .annotate(addenda_count=Count("addenda", distinct=True))
        .distinct()
        .order_by("date_of_service", "pk")
    )
    on = denial.service_date or claim.date_from
    auth = authorization_match(
        patient_id=claim.patient_id,
        payer_id=claim.payer_id,
        code=denial.service_code or "",
        on=on,
        provider_id=claim.rendering_provider_id,
    ).authorization
    authorization = (
        f"{auth.number}, {date_label(auth.start_on)} to {date_label(auth.end_on)}, {auth.authorized} authorized"
        if auth is not None
        else ""
    )
    check = claim_eligibility(
        coverage_id=claim.coverage_id,
        payer_id=claim.payer_id,
        date_of_service=on,
        window_days=ELIGIBILITY_WINDOW_DAYS,
    )
    eligibility = (
        f"Coverage {check.summary.coverage} for {date_label(check.service_date)}"
        + (f" ({check.summary.plan})" if check.summary.plan else "")
        if check.summary is not None and check.service_date is not None
        else ""
    )
    plan = active_plan_dates_on(patient_id=claim.patient_id, on=on)
    treatment_plan = (
        f"Active from {date_label(plan.starts_on)}, review due {date_label(plan.review_on)}"
        if plan is not None
        else ""
    )
    ack = (
        ClaimAcknowledgement.objects.filter(claim_id=claim.pk, accepted=True)
        .exclude(source="999")
        .order_by("occurred_at")
        .first()
    )
    acknowledgement = (
        f"Accepted on {date_label(ack.occurred_at.date())} ({ack.get_source_display()})"
        if ack is not None
        else ""
    )
    return EvidenceFacts(
        notes=notes,
        authorization=authorization,
        eligibility=eligibility,
        treatment_plan=treatment_plan,
        acknowledgement=acknowledgement,
    )


def appeal_letter(*, access: PracticeAccess, appeal_id: int, today: dt.date) -> AppealLetter:
    """Everything the letter PDF shows, read once and audited as an export of the patient's
    records (the appeal packet is PHI leaving Parity)."""
    _require_view(access)
    appeal = (
        Appeal.objects.select_related(
            "denial",
            "denial__claim",
            "denial__claim__coverage",
            "denial__patient",
            "denial__payer",
            "denial__provider",
            "denial__practice",
        )
        .filter(practice_id=access.practice_id, pk=appeal_id)
        .first()
    )
    if appeal is None:
        raise NotFound()
    denial = appeal.denial
    _audit_one(access, denial, action=AuditEvent.Action.EXPORT, detail=f"appeal_letter:{appeal.pk}")
    claim, patient, payer, practice = denial.claim, denial.patient, denial.payer, denial.practice
    codes = [
        LetterCode(text, classify(group=text.partition("-")[0], carc=text.partition("-")[2]).carc.label)
        for text in denial.carcs
    ] + [LetterCode(code, classify(group="", carc="", rarcs=(code,)).rarcs[0].label) for code in denial.rarcs]
    address = ", ".join(p for p in (payer.address_line1, payer.address_line2, payer.city, payer.state) if p)
    title = "Request for a parity (MHPAEA) review" if appeal.parity else "Request for reconsideration"
    return AppealLetter(
        title=title,
        subject=f"{title}, claim {claim.payer_claim_number or claim.patient_control_number}",
        prepared_on=date_label(today),
        prepared_by=access.username,
        payer_name=payer.name,
        payer_address=address,
        practice_name=practice.legal_name,
        practice_npi=practice.billing_npi,
        patient_name=f"{patient.first_name} {patient.last_name}",
        patient_birth_date=date_label(patient.date_of_birth, weekday=False),
        member_id=claim.coverage.member_id,
        claim_number=claim.patient_control_number,
        payer_claim_number=claim.payer_claim_number,
        service=denial.service_code or "the services on the claim",
        service_date=date_label(denial.service_date or claim.date_from),
        provider_name=_provider_name(denial.provider),
        amount=format_cents(denial.amount_cents),
        era_date=date_label(denial.era_date),
        deadline=date_label(denial.appeal_deadline),
        level=appeal.level,
        codes=tuple(codes),
        code_summary=", ".join(denial.carcs),
        category=category_label(denial.category),
        argument=argument(denial.category, parity=appeal.parity),
        evidence=evidence_list(denial.category, _evidence(denial)),
        parity=appeal.parity,
    )


# ---- analytics (D8) --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Breakdown:
    key: str
    label: str
    count: int
    cents: int
    amount: str
    rate: str = ""  # denied lines / adjudicated lines, where known
    url_query: str = ""  # the queue's filter for these denials


@dataclass(frozen=True, slots=True)
class Analytics:
    start: dt.date
    end: dt.date
    total: int
    total_amount: str
    adjudicated_lines: int
    denial_rate: str
    recovered: str
    by_payer: tuple[Breakdown, ...]
    by_code: tuple[Breakdown, ...]
    by_category: tuple[Breakdown, ...]
    by_provider: tuple[Breakdown, ...]
    by_month: tuple[Breakdown, ...]
    patterns: tuple[Pattern, ...]
    enrollment_gaps: tuple[Pattern, ...]


def _recent_points(access: PracticeAccess, today: dt.date) -> list[DenialPoint]:
    since = today - dt.timedelta(days=denial_table().repeat_window_days)
    return [
        DenialPoint(
            payer_id=r[0],
            payer_name=r[1],
            group=r[2],
            carc=r[3],
            category=r[4],
            provider_id=r[5],
            provider_name=f"{r[6]} {r[7]}" if r[5] else "",
            opened_on=r[8],
            cents=r[9],
        )
        for r in Denial.objects.filter(practice_id=access.practice_id, era_date__gt=since).values_list(
            "payer_id",
            "payer__name",
            "group",
            "carc",
            "category",
            "provider_id",
            "provider__first_name",
            "provider__last_name",
            "era_date",
            "amount_cents",
        )
    ]


def denial_patterns(*, access: PracticeAccess, today: dt.date) -> tuple[Pattern, ...]:
    """Probable enrollment gaps (D3), then repeat denials (D8) of the last 30 days: one query.
    Counts and payer/provider names only (no patient)."""
    _require_view(access)
    points = _recent_points(access, today)
    return (*enrollment_gaps(points, today=today), *repeat_patterns(points, today=today))


def assignee_choices(*, access: PracticeAccess) -> list[tuple[int, str]]:
    """The practice's billers (who work denials), for the assignment picker."""
    _require_view(access)
    rows = (
        Membership.objects.filter(practice_id=access.practice_id, is_active=True, role=Role.BILLER)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    return [(m.user_id, m.user.get_full_name() or m.user.get_username()) for m in rows]


def _percent(part: int, whole: int) -> str:
    if not whole:
        return "—"
    return f"{(part * 1000 // whole) / 10:.1f}%"


def denial_analytics(*, access: PracticeAccess, start: dt.date, end: dt.date, today: dt.date) -> Analytics:
    """Denials opened between `start` and `end` (ERA dates), PR excluded (D8): counts and money
    by payer, code, category, provider and month, rates against the lines the payers
    adjudicated, repeat patterns and enrollment gaps. Eight queries whatever the volume."""
    _require_view(access)
    base = Denial.objects.filter(
        practice_id=access.practice_id, era_date__gte=start, era_date__lte=end
    ).exclude(group="PR")

    def grouped(*keys: str) -> list[dict[str, object]]:
        return list(
            base.values(*keys).annotate(n=Count("pk"), cents=Sum("amount_cents")).order_by("-cents", *keys)
        )

    lines = (
        ClaimLineAdjudication.objects.filter(
            adjudication__claim__practice_id=access.practice_id,
            adjudication__adjudicated_on__gte=start,
            adjudication__adjudicated_on__lte=end,
            adjudication__is_reversal=False,
        )
        .annotate(month=TruncMonth("adjudication__adjudicated_on"))
        .values("adjudication__claim__payer_id", "adjudication__claim__rendering_provider_id", "month")
        .annotate(n=Count("pk"))
    )
    adjudicated: dict[int, int] = defaultdict(int)
    by_provider_lines: dict[int, int] = defaultdict(int)
    by_month_lines: dict[str, int] = defaultdict(int)
    for r in lines:
        n = int(str(r["n"]))
        adjudicated[int(str(r["adjudication__claim__payer_id"]))] += n
        by_provider_lines[int(str(r["adjudication__claim__rendering_provider_id"]))] += n
        by_month_lines[f"{r['month']:%Y-%m}"] += n
    by_payer = [
        Breakdown(
            key=str(r["payer_id"]),
            label=str(r["payer__name"]),
            count=int(str(r["n"])),
            cents=int(str(r["cents"] or 0)),
            amount=format_cents(int(str(r["cents"] or 0))),
            rate=_percent(int(str(r["n"])), adjudicated.get(int(str(r["payer_id"])), 0)),
            url_query=f"payer={r['payer_id']}&status=all",
        )
        for r in grouped("payer_id", "payer__name")
    ]
    by_code = [
        Breakdown(
            key=f"{r['group']}-{r['carc']}",
            label=f"{r['group']}-{r['carc']}: {classify(group=str(r['group']), carc=str(r['carc'])).carc.label}",
            count=int(str(r["n"])),
            cents=int(str(r["cents"] or 0)),
            amount=format_cents(int(str(r["cents"] or 0))),
            url_query=f"code={r['carc']}&status=all",
        )
        for r in grouped("group", "carc")
    ]
    by_category = [
        Breakdown(
            key=str(r["category"]),
            label=category_label(str(r["category"])),
            count=int(str(r["n"])),
            cents=int(str(r["cents"] or 0)),
            amount=format_cents(int(str(r["cents"] or 0))),
            url_query=f"category={r['category']}&status=all",
        )
        for r in grouped("category")
    ]
    by_provider = [
        Breakdown(
            key=str(r["provider_id"] or ""),
            label=f"{r['provider__first_name']} {r['provider__last_name']}"
            if r["provider_id"]
            else "No provider",
            count=int(str(r["n"])),
            cents=int(str(r["cents"] or 0)),
            amount=format_cents(int(str(r["cents"] or 0))),
            rate=_percent(int(str(r["n"])), by_provider_lines.get(int(str(r["provider_id"] or 0)), 0)),
            url_query=f"provider={r['provider_id']}&status=all" if r["provider_id"] else "",
        )
        for r in grouped("provider_id", "provider__first_name", "provider__last_name")
    ]
    months = list(
        base.annotate(month=TruncMonth("era_date"))
        .values("month")
        .annotate(n=Count("pk"), cents=Sum("amount_cents"))
        .order_by("month")
    )
    by_month = [
        Breakdown(
            key=f"{r['month']:%Y-%m}",
            label=f"{r['month']:%b %Y}",
            count=int(str(r["n"])),
            cents=int(str(r["cents"] or 0)),
            amount=format_cents(int(str(r["cents"] or 0))),
            rate=_percent(int(str(r["n"])), by_month_lines.get(f"{r['month']:%Y-%m}", 0)),
        )
        for r in months
    ]
    points = _recent_points(access, today)
    recovered = (
        Appeal.objects.filter(
            practice_id=access.practice_id, outcome_on__gte=start, outcome_on__lte=end
        ).aggregate(cents=Sum("amount_recovered_cents"))["cents"]
        or 0
    )
    total = sum(b.count for b in by_category)
    cents = sum(b.cents for b in by_category)
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.LIST,
        category=Category.BILLING,
        practice_id=access.practice_id,
        object_type=DENIAL_OBJECT_TYPE,
        detail=f"analytics {start.isoformat()}..{end.isoformat()}",
    )
    return Analytics(
        start=start,
        end=end,
        total=total,
        total_amount=format_cents(cents),
        adjudicated_lines=sum(adjudicated.values()),
        denial_rate=_percent(total, sum(adjudicated.values())),
        recovered=format_cents(recovered),
        by_payer=tuple(by_payer),
        by_code=tuple(by_code),
        by_category=tuple(by_category),
        by_provider=tuple(by_provider),
        by_month=tuple(by_month),
        patterns=tuple(repeat_patterns(points, today=today)),
        enrollment_gaps=tuple(enrollment_gaps(points, today=today)),
    )
