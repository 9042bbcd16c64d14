"""View models for the claim screens: ready-made labels, money, dates, links and flags.
Templates loop over these; they never format, compute or decide."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.forms import Form
from django.urls import reverse

from claims.domain.claim_preview import Preview
from claims.models import ClaimStatus
from claims.selectors.claim_screens import BatchProgress, Rejection
from claims.view_models import FindingView, finding_views
from core.formatting import date_label, moment_label
from core.money import format_cents
from core.pagination import Pager

STATUS_CSS = {
    ClaimStatus.DRAFT: "",
    ClaimStatus.READY: "ok",
    ClaimStatus.QUEUED: "",
    ClaimStatus.SUBMITTED: "",
    ClaimStatus.ACCEPTED_CLEARINGHOUSE: "ok",
    ClaimStatus.REJECTED: "bad",
    ClaimStatus.ACCEPTED_PAYER: "ok",
    ClaimStatus.PAID: "ok",
    ClaimStatus.PARTIALLY_PAID: "warn",
    ClaimStatus.DENIED: "bad",
    ClaimStatus.APPEALED: "warn",
    ClaimStatus.CLOSED: "",
    ClaimStatus.VOIDED: "",
}
BATCH_STATUS_LABELS = {
    "queued": "Waiting to send",
    "sending": "Sending",
    "sent": "Sent",
    "needs_attention": "Needs attention: sending failed",
}
ACK_SOURCE_LABELS = {
    "999": "Clearinghouse file check (999)",
    "clearinghouse_277ca": "Clearinghouse claim check (277CA)",
    "payer_277ca": "Payer claim check (277CA)",
}
FREQUENCY_LABELS = {"1": "Original", "7": "Replacement", "8": "Void"}
RESPONSIBILITY_LABELS = {"P": "Primary", "S": "Secondary", "T": "Tertiary"}


def status_label(status: str) -> str:
    return str(ClaimStatus(status).label)


def status_css(status: str) -> str:
    return STATUS_CSS[ClaimStatus(status)]


def person_name(person: Any) -> str:
    return f"{person.last_name}, {person.first_name}"


def provider_name(provider: Any) -> str:
    return f"{provider.full_name} ({provider.credential})" if provider is not None else ""


def deadline_label(deadline: date | None, today: date) -> tuple[str, str]:
    """The timely-filing deadline in words and a tone ("bad" when 14 days or fewer are left)."""
    if deadline is None:
        return "", ""
    left = (deadline - today).days
    if left < 0:
        return f"{date_label(deadline)} (passed {-left} day{'s' if left != -1 else ''} ago)", "bad"
    return f"{date_label(deadline)} ({left} day{'s' if left != 1 else ''} left)", "bad" if left <= 14 else ""


# ---- the list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimRow:
    claim_id: int
    url: str
    pcn: str
    date_of_service: str
    patient: str
    payer: str
    provider: str
    total: str
    status: str
    status_label: str
    status_css: str
    age_days: int


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    url: str
    active: bool


@dataclass(frozen=True)
class ClaimListPage:
    rows: list[ClaimRow]
    counts: list[StatusCount]
    total: int
    total_amount: str
    form: Form
    pager: Pager
    csv_url: str


def claim_row(claim: Any, today: date) -> ClaimRow:
    dates = date_label(claim.date_from)
    if claim.date_to != claim.date_from:
        dates = f"{dates} – {date_label(claim.date_to)}"
    return ClaimRow(
        claim_id=claim.pk,
        url=reverse("claims:detail", args=[claim.pk]),
        pcn=claim.patient_control_number,
        date_of_service=dates,
        patient=person_name(claim.patient),
        payer=claim.payer.name,
        provider=provider_name(claim.rendering_provider),
        total=format_cents(claim.total_cents),
        status=claim.status,
        status_label=status_label(claim.status),
        status_css=status_css(claim.status),
        age_days=(today - claim.date_from).days,
    )


def claim_list_page(
    *, page: Any, form: Form, query: Mapping[str, str], base_url: str, pager: Pager, today: date
) -> ClaimListPage:
    def url(**changes: Any) -> str:
        params = {k: v for k, v in {**query, **changes}.items() if v not in ("", None)}
        return f"{base_url}?{urlencode(params)}" if params else base_url

    active = query.get("status", "")
    counts = [
        StatusCount(
            status=status.value,
            label=str(status.label),
            count=page.counts_by_status.get(status.value, 0),
            url=url(status=status.value, page=""),
            active=active == status.value,
        )
        for status in ClaimStatus
    ]
    csv_params = {k: v for k, v in query.items() if k != "page" and v}
    csv_url = reverse("claims:export")
    return ClaimListPage(
        rows=[claim_row(c, today) for c in page.claims],
        counts=counts,
        total=page.total,
        total_amount=format_cents(page.total_cents),
        form=form,
        pager=pager,
        csv_url=f"{csv_url}?{urlencode(csv_params)}" if csv_params else csv_url,
    )


CSV_HEADER = ["Claim ID", "Patient control number", "Version", "Patient", "Payer", "Rendering provider",
              "From", "To", "Total", "Status", "Payer claim number", "Timely filing deadline"]  # fmt: skip


def csv_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (a name or payer starting with = + - @)."""
    return f"'{value}" if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def csv_rows(claims: list[Any]) -> list[list[str]]:
    return [
        [
            str(c.pk),
            c.patient_control_number,
            str(c.version),
            csv_cell(person_name(c.patient)),
            csv_cell(c.payer.name),
            csv_cell(provider_name(c.rendering_provider)),
            c.date_from.isoformat(),
            c.date_to.isoformat(),
            f"{c.total_cents / 100:.2f}",
            status_label(c.status),
            csv_cell(c.payer_claim_number),
            c.timely_filing_deadline.isoformat() if c.timely_filing_deadline else "",
        ]
        for c in claims
    ]


# ---- one claim --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineRow:
    number: int
    service_date: str
    code: str
    modifiers: str
    units: int
    pos: str
    pointers: str
    charge: str
    control_number: str


@dataclass(frozen=True)
class EventRow:
    when: str
    who: str
    what: str
    reason: str


@dataclass(frozen=True)
class AckRow:
    when: str
    source: str
    accepted: bool
    outcome: str
    css: str
    codes: str
    message: str
    payer_claim_number: str
    file_name: str


@dataclass(frozen=True)
class AdjudicationLineRow:
    line_number: int
    code: str
    charge: str
    allowed: str
    paid: str
    adjustments: str
    remarks: str


@dataclass(frozen=True)
class AdjudicationRow:
    adjudicated_on: str
    era_reference: str
    status_code: str
    paid: str
    patient_responsibility: str
    reversal: bool
    reversed: bool
    lines: list[AdjudicationLineRow]


@dataclass(frozen=True)
class ClaimDetailPage:
    claim_id: int
    title: str
    patient: str
    patient_url: str
    payer: str
    member_id: str
    pcn: str
    payer_claim_number: str
    version: str
    frequency: str
    responsibility: str
    status: str
    status_label: str
    status_css: str
    dates: str
    rendering: str
    supervising: str
    total: str
    deadline: str
    deadline_css: str
    lines: list[LineRow]
    findings: list[FindingView]
    preview: Preview
    events: list[EventRow]
    acknowledgements: list[AckRow]
    adjudications: list[AdjudicationRow]
    pdf_url: str
    fix_url: str
    can_resubmit: bool
    resubmit_url: str
    replaces_url: str = ""
    later_versions: list[tuple[str, str]] = field(default_factory=list)


def _adjustments(items: list[Mapping[str, Any]]) -> str:
    return ", ".join(
        f"{a.get('group', '')}-{a.get('reason', '')} {format_cents(int(a.get('cents', 0)))}" for a in items
    )


def fix_url(claim: Any) -> str:
    """Where a biller fixes the claim's data: the charges of its first line's note."""
    for line in claim.lines.all():
        if line.charge is not None:
            return reverse("charges:detail", args=[line.charge.charge_set_id])
    return ""


def claim_detail_page(
    *, claim: Any, today: date, zone: ZoneInfo, preview: Preview, can_edit: bool
) -> ClaimDetailPage:
    deadline, deadline_css = deadline_label(claim.timely_filing_deadline, today)
    dates = date_label(claim.date_from)
    if claim.date_to != claim.date_from:
        dates = f"{dates} – {date_label(claim.date_to)}"
    events = [
        EventRow(
            when=moment_label(e.occurred_at, zone),
            who=e.actor_label or (e.actor.get_full_name() if e.actor else "") or "Parity",
            what=(
                f"{status_label(e.from_status) if e.from_status else 'New'} → {status_label(e.to_status)}"
                if e.to_status
                else (e.detail or e.get_kind_display())
            ),
            reason=e.reason,
        )
        for e in claim.events.all()
    ]
    acks = [
        AckRow(
            when=moment_label(a.occurred_at, zone),
            source=ACK_SOURCE_LABELS.get(a.source, a.source),
            accepted=a.accepted,
            outcome="Accepted" if a.accepted else "Rejected",
            css="ok" if a.accepted else "bad",
            codes="/".join(code for code in (a.category_code, a.status_code) if code),
            message=a.message,
            payer_claim_number=a.payer_claim_number,
            file_name=a.inbound_file.name if a.inbound_file is not None else "",
        )
        for a in claim.acknowledgements.all()
    ]
    adjudications = [
        AdjudicationRow(
            adjudicated_on=date_label(a.adjudicated_on),
            era_reference=a.era_reference,
            status_code=a.claim_status_code,
            paid=format_cents(a.paid_cents),
            patient_responsibility=format_cents(a.patient_responsibility_cents),
            reversal=a.is_reversal,
            reversed=a.reversed,
            lines=[
                AdjudicationLineRow(
                    line_number=la.claim_line.line_number,
                    code="-".join([la.code or la.claim_line.code, *(la.modifiers or [])]),
                    charge=format_cents(la.charge_cents),
                    allowed=format_cents(la.allowed_cents) if la.allowed_cents is not None else "",
                    paid=format_cents(la.paid_cents),
                    adjustments=_adjustments(la.adjustments or []),
                    remarks=", ".join(str(r) for r in (la.remarks or [])),
                )
                for la in a.lines.all()
            ],
        )
        for a in claim.adjudications.all()
    ]
    patient = claim.patient
    return ClaimDetailPage(
        claim_id=claim.pk,
        title=f"Claim {claim.patient_control_number}",
        patient=person_name(patient),
        patient_url=reverse("patients:detail", args=[patient.pk]),
        payer=claim.payer.name,
        member_id=claim.coverage.member_id,
        pcn=claim.patient_control_number,
        payer_claim_number=claim.payer_claim_number,
        version=str(claim.version),
        frequency=FREQUENCY_LABELS.get(claim.frequency, claim.frequency),
        responsibility=RESPONSIBILITY_LABELS.get(claim.responsibility, claim.responsibility),
        status=claim.status,
        status_label=status_label(claim.status),
        status_css=status_css(claim.status),
        dates=dates,
        rendering=provider_name(claim.rendering_provider),
        supervising=provider_name(claim.supervising_provider),
        total=format_cents(claim.total_cents),
        deadline=deadline,
        deadline_css=deadline_css,
        lines=[
            LineRow(
                number=line.line_number,
                service_date=date_label(line.service_date),
                code=line.code,
                modifiers=" ".join(line.modifiers),
                units=line.units,
                pos=line.place_of_service,
                pointers=", ".join(str(p) for p in line.diagnosis_pointers),
                charge=format_cents(line.charge_cents),
                control_number=line.line_control_number,
            )
            for line in claim.lines.all()
        ],
        findings=finding_views(claim.findings or []),
        preview=preview,
        events=events,
        acknowledgements=acks,
        adjudications=adjudications,
        pdf_url=reverse("claims:pdf", args=[claim.pk]),
        fix_url=fix_url(claim),
        can_resubmit=can_edit and claim.status == ClaimStatus.REJECTED,
        resubmit_url=reverse("claims:resubmit", args=[claim.pk]),
        replaces_url=reverse("claims:detail", args=[claim.replaces_id]) if claim.replaces_id else "",
        later_versions=[
            (f"version {v.version}", reverse("claims:detail", args=[v.pk]))
            for v in claim.later_versions.all()
        ],
    )


# ---- batches and rejections -------------------------------------------------------------------


@dataclass(frozen=True)
class BatchRow:
    batch_id: int
    status: str
    status_label: str
    total: int
    sent: int
    accepted: int
    rejected: int
    created: str
    done: bool
    progress_url: str
    last_error: str


def batch_row(progress: BatchProgress, zone: ZoneInfo) -> BatchRow:
    return BatchRow(
        batch_id=progress.batch_id,
        status=progress.status,
        status_label=BATCH_STATUS_LABELS.get(progress.status, progress.status),
        total=progress.total,
        sent=progress.sent,
        accepted=progress.accepted,
        rejected=progress.rejected,
        created=moment_label(progress.created_at, zone),  # type: ignore[arg-type]
        done=progress.done,
        progress_url=reverse("claims:batch_progress") + f"?ids={progress.batch_id}",
        last_error=progress.last_error if progress.status == "needs_attention" else "",
    )


def batch_json(progress: BatchProgress) -> dict[str, Any]:
    return {
        "id": progress.batch_id,
        "status": progress.status,
        "status_label": BATCH_STATUS_LABELS.get(progress.status, progress.status),
        "total": progress.total,
        "sent": progress.sent,
        "accepted": progress.accepted,
        "rejected": progress.rejected,
        "done": progress.done,
    }


@dataclass(frozen=True)
class RejectionRow:
    claim_id: int
    url: str
    pcn: str
    patient: str
    payer: str
    date_of_service: str
    total: str
    since: str
    reason: str
    codes: str
    fix_url: str
    resubmit_url: str
    patient_url: str = ""


def rejection_row(rejection: Rejection) -> RejectionRow:
    claim = rejection.claim
    ack = rejection.acknowledgement
    return RejectionRow(
        claim_id=claim.pk,
        url=reverse("claims:detail", args=[claim.pk]),
        pcn=claim.patient_control_number,
        patient=person_name(claim.patient),
        payer=claim.payer.name,
        date_of_service=date_label(claim.date_from),
        total=format_cents(claim.total_cents),
        since=date_label(rejection.since),
        reason=(
            ack.message
            if ack is not None and ack.message
            else "No reason was given: see the claim's history."
        ),
        codes="/".join(c for c in (ack.category_code, ack.status_code) if c) if ack is not None else "",
        fix_url=fix_url(claim),
        resubmit_url=reverse("claims:resubmit", args=[claim.pk]),
        patient_url=reverse("patients:detail", args=[claim.patient_id]),
    )
