"""View models for the charge screens: ready-made values (labels, money, dates, links, flags).

Templates loop over these and test their flags; they never format, compute or decide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.forms import Form
from django.urls import reverse

from claims.domain.findings import field_label, finding_label, first_finding
from claims.domain.types import CHARGE_STATUS_LABELS, ChargeStatus
from core.domain.service_types import SERVICE_TYPE_LABELS, ServiceType
from core.formatting import date_label, moment_label
from core.money import format_cents
from core.pagination import Pager
from practice.domain.place_of_service import place_of_service_label

STATUS_CSS = {
    ChargeStatus.CAPTURED: "",
    ChargeStatus.ON_HOLD: "bad",
    ChargeStatus.READY: "ok",
    ChargeStatus.REVIEWED: "ok",
}
SEVERITY_LABELS = {"error": "Error", "warning": "Warning"}
SEVERITY_CSS = {"error": "bad", "warning": "warn"}
EVENT_LABELS = {
    "captured": "Captured from the final note",
    "scrubbed": "Scrubbed",
    "overridden": "Line changed",
    "line_added": "Line added",
    "reviewed": "Marked reviewed",
}
SUPERVISOR_BILLING_LABELS = {
    "with_supervisor": "supervising provider on the claim",
    "supervisor_renders": "billed as the claim's rendering provider",
}
_LINE_FIELD = re.compile(r"^lines\[(\d+)\]")


def status_label(status: str) -> str:
    return CHARGE_STATUS_LABELS[ChargeStatus(status)]


def status_css(status: str) -> str:
    return STATUS_CSS[ChargeStatus(status)]


def line_label(code: str, modifiers: Sequence[str], units: int) -> str:
    return f"{'-'.join((code, *modifiers))} ×{units}"


@dataclass(frozen=True)
class FindingView:
    code: str
    severity: str
    severity_label: str
    css: str
    message: str
    fix_hint: str
    field: str
    line_index: int | None
    where: str = ""  # the field in words ("line 1, place of service"), for people


def finding_views(findings: Iterable[Mapping[str, str]]) -> list[FindingView]:
    views = []
    for f in findings:
        match = _LINE_FIELD.match(f.get("field", ""))
        severity = f.get("severity", "error")
        views.append(
            FindingView(
                code=f.get("code", ""),
                severity=severity,
                severity_label=SEVERITY_LABELS.get(severity, severity),
                css=SEVERITY_CSS.get(severity, ""),
                message=f.get("message", ""),
                fix_hint=f.get("fix_hint", ""),
                field=field_label(f.get("field", "")),
                line_index=int(match.group(1)) if match else None,
            )
        )
    return views


# ---- the list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChargeRow:
    charge_set_id: int
    url: str
    date_of_service: str
    patient: str
    payer: str
    provider: str
    lines: str
    total: str
    status: str
    status_label: str
    status_css: str
    errors: int
    warnings: int
    first_finding: str = ""  # the first error (else warning) in words
    first_finding_css: str = ""
    more_findings: str = ""  # "and 2 more"
    reviewable: bool = False  # ready with no errors: may be marked reviewed with others


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    url: str
    active: bool


@dataclass(frozen=True)
class ChargeListPage:
    rows: list[ChargeRow]
    counts: list[StatusCount]
    total: int
    showing: str
    form: Form
    previous_url: str
    next_url: str
    pager: Pager
    total_amount: str = ""  # the fees of every matching set
    review_many_url: str = ""
    reviewable_count: int = 0


def charge_row(charge_set: Any) -> ChargeRow:
    lines = list(charge_set.lines.all())
    billed = [line for line in lines if line.units > 0]
    patient = charge_set.patient
    provider = charge_set.rendering_provider
    return ChargeRow(
        charge_set_id=charge_set.pk,
        url=reverse("charges:detail", args=[charge_set.pk]),
        date_of_service=date_label(charge_set.date_of_service),
        patient=f"{patient.last_name}, {patient.first_name}",
        payer=charge_set.payer.name if charge_set.payer is not None else "Self-pay",
        provider=f"{provider.full_name} ({provider.credential})",
        lines=", ".join(line_label(x.code, x.modifiers, x.units) for x in billed) or "Nothing billable",
        total=format_cents(sum(x.fee_cents for x in billed)),
        status=charge_set.status,
        status_label=status_label(charge_set.status),
        status_css=status_css(charge_set.status),
        errors=charge_set.error_count,
        warnings=charge_set.warning_count,
        **_first_finding(charge_set.findings or []),
        reviewable=charge_set.status == ChargeStatus.READY and charge_set.error_count == 0,
    )


def _first_finding(findings: Sequence[Mapping[str, str]]) -> dict[str, str]:
    first = first_finding(findings)
    if first is None:
        return {}
    more = len(findings) - 1
    return {
        "first_finding": str(first.get("message", "")) or finding_label(str(first.get("code", ""))),
        "first_finding_css": "bad" if first.get("severity") == "error" else "warn",
        "more_findings": f"and {more} more" if more else "",
    }


def charge_list_page(
    *, page: Any, form: Form, query: Mapping[str, str], base_url: str, pager: Pager
) -> ChargeListPage:
    """`page` is one selectors.ChargePage; `pager` links its neighbours (filters kept)."""

    def url(**changes: Any) -> str:
        params = {k: v for k, v in {**query, **changes}.items() if v not in ("", None)}
        return f"{base_url}?{urlencode(params)}" if params else base_url

    active = query.get("status", "")
    counts = [
        StatusCount(
            status=status.value,
            label=CHARGE_STATUS_LABELS[status],
            count=page.counts_by_status.get(status.value, 0),
            url=url(status=status.value, page=""),
            active=active == status.value,
        )
        for status in ChargeStatus
    ]
    rows = [charge_row(cs) for cs in page.charge_sets]
    return ChargeListPage(
        rows=rows,
        total_amount=format_cents(page.total_cents),
        review_many_url=reverse("charges:review_many"),
        reviewable_count=sum(1 for row in rows if row.reviewable),
        counts=counts,
        total=page.total,
        showing=pager.summary,
        form=form,
        previous_url=pager.previous_url,
        next_url=pager.next_url,
        pager=pager,
    )


# ---- one note's charges -----------------------------------------------------------------------


@dataclass(frozen=True)
class LineView:
    charge_id: int
    line_number: int
    code: str
    units: int
    modifiers: str
    pos: str
    pos_label: str
    pointers: str
    minutes: str
    unit_fee: str
    fee: str
    auth_number: str
    overridden: bool
    dropped: bool
    findings: list[FindingView]
    has_errors: bool
    form: Form
    form_open: bool
    override_url: str


@dataclass(frozen=True)
class EventView:
    when: str
    who: str
    what: str
    reason: str
    change: str
    detail: str


@dataclass(frozen=True)
class ChargeSetPage:
    charge_set_id: int
    title: str
    patient: str
    patient_url: str
    note_url: str
    service: str
    date_of_service: str
    payer: str
    member_id: str
    rendering: str
    supervising: str
    rules: str
    status: str
    status_label: str
    status_css: str
    error_count: int
    warning_count: int
    total: str
    diagnoses: list[str]
    lines: list[LineView]
    claim_findings: list[FindingView]
    why: list[str]
    coding_notes: list[FindingView]
    events: list[EventView]
    scrubbed: str
    reviewed: str
    can_edit: bool
    can_review: bool
    review_url: str
    scrub_url: str
    add_form: Form | None = None
    add_url: str = ""
    add_open: bool = False


def _show(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "none"
    return str(value)


def _added(after: Mapping[str, Any]) -> str:
    if not after:
        return ""
    modifiers = "-".join(str(m) for m in after.get("modifiers") or [])
    code = f"{after.get('code')}{'-' + modifiers if modifiers else ''}"
    return f"{code} x{after.get('units')}, POS {after.get('pos')}"


def _change(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    if not before or not after:
        return ""
    parts = []
    for key, label in (
        ("code", "code"),
        ("units", "units"),
        ("modifiers", "modifiers"),
        ("pos", "POS"),
        ("diagnosis_pointers", "pointers"),
    ):
        old, new = before.get(key), after.get(key)
        if old != new:
            parts.append(f"{label} {_show(old)} → {_show(new)}")
    return "; ".join(parts)


def charge_set_page(
    *,
    charge_set: Any,
    zone: ZoneInfo,
    can_edit: bool,
    forms: Mapping[int, Form],
    open_line: int | None = None,
    diagnosis_labels: Mapping[str, str] | None = None,
    add_form: Form | None = None,
    add_open: bool = False,
) -> ChargeSetPage:
    findings = finding_views(charge_set.findings)
    lines = list(charge_set.lines.all())
    diagnoses = list(charge_set.claim_diagnoses)
    labels = diagnosis_labels or {}
    line_views = []
    for index, line in enumerate(lines):
        mine = [f for f in findings if f.line_index == index]
        line_views.append(
            LineView(
                charge_id=line.pk,
                line_number=line.line_number,
                code=line.code,
                units=line.units,
                modifiers=", ".join(line.modifiers) or "—",
                pos=line.place_of_service,
                pos_label=place_of_service_label(line.place_of_service),
                pointers=", ".join(
                    f"{p} ({diagnoses[p - 1]})" if 0 < p <= len(diagnoses) else str(p)
                    for p in line.diagnosis_pointers
                )
                or "—",
                minutes=f"{line.documented_minutes} min" if line.documented_minutes else "—",
                unit_fee=format_cents(line.unit_fee_cents),
                fee=format_cents(line.fee_cents),
                auth_number=line.auth_number or "—",
                overridden=line.overridden,
                dropped=line.units == 0,
                findings=mine,
                has_errors=any(f.severity == "error" for f in mine),
                form=forms[line.pk],
                form_open=open_line == line.pk,
                override_url=reverse("charges:override", args=[line.pk]),
            )
        )
    patient = charge_set.patient
    supervising = charge_set.supervising_provider
    events = []
    for event in charge_set.events.all():
        who = event.actor.get_username() if event.actor is not None else event.actor_label
        line_part = f" (line {event.charge.line_number})" if event.charge is not None else ""
        status_part = (
            f": {status_label(event.from_status)} → {status_label(event.to_status)}"
            if event.from_status and event.to_status
            else ""
        )
        events.append(
            EventView(
                when=moment_label(event.occurred_at, zone),
                who=who,
                what=f"{EVENT_LABELS.get(event.kind, event.kind)}{line_part}{status_part}",
                reason=event.reason,
                change=_change(event.before, event.after)
                if event.kind == "overridden"
                else _added(event.after)
                if event.kind == "line_added"
                else "",
                detail=event.detail,
            )
        )
    status = charge_set.status
    return ChargeSetPage(
        charge_set_id=charge_set.pk,
        title=f"Charges for the session of {date_label(charge_set.date_of_service)}",
        patient=f"{patient.last_name}, {patient.first_name}",
        patient_url=reverse("patients:detail", args=[patient.pk]),
        note_url=reverse("clinical_notes:detail", args=[charge_set.note_id]),
        service=SERVICE_TYPE_LABELS[ServiceType(charge_set.note.service_type)],
        date_of_service=date_label(charge_set.date_of_service),
        payer=charge_set.payer.name if charge_set.payer is not None else "Self-pay (no coverage on the date)",
        member_id=charge_set.coverage.member_id if charge_set.coverage is not None else "—",
        rendering=f"{charge_set.rendering_provider.full_name} ({charge_set.rendering_provider.credential})",
        supervising=(
            f"{supervising.full_name} ({supervising.credential})"
            + (
                f": {SUPERVISOR_BILLING_LABELS[charge_set.supervisor_billing]}"
                if charge_set.supervisor_billing in SUPERVISOR_BILLING_LABELS
                else ""
            )
            if supervising is not None
            else "—"
        ),
        rules=charge_set.rules_label,
        status=status,
        status_label=status_label(status),
        status_css=status_css(status),
        error_count=charge_set.error_count,
        warning_count=charge_set.warning_count,
        total=format_cents(sum(line.fee_cents for line in lines if line.units > 0)),
        diagnoses=[
            f"{i}. {code}" + (f" — {labels[code]}" if labels.get(code) else "")
            for i, code in enumerate(diagnoses, start=1)
        ],
        lines=line_views,
        claim_findings=[f for f in findings if f.line_index is None],
        why=list(charge_set.why),
        coding_notes=finding_views(charge_set.coding_problems),
        events=events,
        scrubbed=moment_label(charge_set.scrubbed_at, zone) if charge_set.scrubbed_at else "",
        reviewed=(
            f"{charge_set.reviewed_by.get_username()}, {moment_label(charge_set.reviewed_at, zone)}"
            if charge_set.reviewed_at is not None and charge_set.reviewed_by is not None
            else ""
        ),
        can_edit=can_edit,
        can_review=can_edit and status == ChargeStatus.READY.value and charge_set.error_count == 0,
        review_url=reverse("charges:review", args=[charge_set.pk]),
        scrub_url=reverse("charges:scrub", args=[charge_set.pk]),
        add_form=add_form if can_edit else None,
        add_url=reverse("charges:line_add", args=[charge_set.pk]),
        add_open=add_open,
    )
