"""Reads of prior authorizations.

For people (billers, admins: BILLING_VIEW), scoped by practice and audited, one event each:

* `authorization_list`  -> action=list, category=billing ("results=N" and the filters' names)
* `authorization_get`   -> action=view, category=billing, patient_id (a missing one or another
  practice's: one `denied` event, then NotFound)

For the claims side (system reads, no person sees them here, so no event):

* `authorization_facts_for(patient_id=, payer_id=)`   every authorization of a patient and payer
* `authorization_match(patient_id=, payer_id=, code=, on=, provider_id=, units=)`  the scrubber's check
* `authorization_number_for(patient_id=, payer_id=, code=, on=, provider_id=)`  for the claim (REF*G1)

Used units come from recorded charge usage (`services.authorization_usage_record`); planned ones
from scheduled appointments coded with the payer's rules on their dates (`domain.planning`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from authorizations.domain.burn_down import (
    AlertCondition,
    BurnDown,
    alert_conditions,
    burn_down,
    effective_status,
    exhaustion_forecast,
    usage_daily_rate,
)
from authorizations.domain.matching import AuthorizationCheck, authorization_check
from authorizations.domain.planning import PlannedSession, planned_by_date, planned_usage
from authorizations.domain.types import (
    AuthorizationFacts,
    AuthStatus,
    AuthUsage,
    CapDetails,
    ServiceToAuthorize,
    UnitCap,
    UnitKind,
    UsageSource,
)
from authorizations.models import AuthorizationAlert, AuthorizationUsage, AuthorizedCode, PriorAuthorization
from coding.domain.code_sets import shipped_catalog
from core.errors import NotFound, PermissionDenied
from core.pagination import page_bounds
from payer_rules.domain.policy import PolicyTimeline
from payer_rules.selectors import payer_policy_timeline
from practice.models import Provider
from practice.selectors import practice_zone
from scheduling.selectors import upcoming_appointments

UNIT_KIND_CHOICES: list[tuple[str, str]] = list(PriorAuthorization.UnitKind.choices)
STATUS_CHOICES: list[tuple[str, str]] = list(PriorAuthorization.Status.choices)
SETTABLE_STATUS_CHOICES: list[tuple[str, str]] = [
    (PriorAuthorization.Status.ACTIVE.value, "Active"),
    (PriorAuthorization.Status.CANCELLED.value, "Cancelled"),
]
STATUS_LABELS = dict(PriorAuthorization.Status.choices)
LIST_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


@dataclass(frozen=True, slots=True)
class AuthorizationRow:
    """One authorization with its burn-down on `today` (lists, the detail screen, the API)."""

    authorization_id: int
    patient_id: int
    patient_name: str
    payer_id: int
    payer_name: str
    number: str
    codes: tuple[str, ...]
    unit_kind: UnitKind
    authorized: int
    start_on: dt.date
    end_on: dt.date
    rendering_provider_id: int | None
    rendering_provider_name: str
    stored_status: AuthStatus
    status: AuthStatus  # on `today`
    notes: str
    burn: BurnDown
    alerts: tuple[AlertCondition, ...]
    forecast_exhausted_on: dt.date | None
    today: dt.date
    caps: tuple[CapRow, ...] = ()

    @property
    def exhausted_on(self) -> dt.date | None:
        """The first day the total or any cap runs out (the forecast that binds)."""
        days = [d for d in (self.forecast_exhausted_on, *(c.forecast_exhausted_on for c in self.caps)) if d]
        return min(days) if days else None

    @property
    def used(self) -> int:
        return self.burn.used

    @property
    def planned(self) -> int:
        return self.burn.planned

    @property
    def remaining(self) -> int:
        return self.burn.remaining


@dataclass(frozen=True, slots=True)
class UsageEntry:
    usage: AuthUsage
    recorded_at: dt.datetime | None  # None for planned ones


@dataclass(frozen=True, slots=True)
class AlertEntry:
    kind: str
    kind_label: str
    raised_on: dt.date
    message: str


@dataclass(frozen=True, slots=True)
class AuthorizationDetail:
    row: AuthorizationRow
    used: tuple[UsageEntry, ...]
    planned: tuple[UsageEntry, ...]
    alert_history: tuple[AlertEntry, ...]
    daily_rate: str  # "1.5 units a day", for people


# ---- building rows ---------------------------------------------------------------------------------


def _queryset(practice_id: int) -> QuerySet[PriorAuthorization]:
    return (
        PriorAuthorization.objects.filter(practice_id=practice_id)
        .select_related("patient", "payer", "rendering_provider")
        .prefetch_related(
            Prefetch("codes", queryset=AuthorizedCode.objects.select_related("cap").order_by("pk")),
            Prefetch("usages", queryset=AuthorizationUsage.objects.order_by("service_date", "pk")),
        )
    )


def _used(auth: PriorAuthorization) -> list[AuthUsage]:
    return [
        AuthUsage(date=u.service_date, code=u.code, units=u.units, source=UsageSource.CHARGE, ref=u.source_id)
        for u in auth.usages.all()
    ]


def _codes(auth: PriorAuthorization) -> tuple[str, ...]:
    return tuple(c.code for c in auth.codes.all())


def _caps(auth: PriorAuthorization) -> tuple[CapDetails, ...]:
    """The authorization's caps (codes prefetched with their cap), in the order they were entered."""
    grouped: dict[int, tuple[int, list[str]]] = {}
    for c in auth.codes.all():
        if c.cap_id is not None and c.cap is not None:
            grouped.setdefault(c.cap_id, (c.cap.units, []))[1].append(c.code)
    return tuple(
        CapDetails(codes=tuple(codes), units=units) for _pk, (units, codes) in sorted(grouped.items())
    )


@dataclass(frozen=True, slots=True)
class CapRow:
    """A cap's burn-down and forecast on `today` (the detail screen and the API)."""

    codes: tuple[str, ...]
    burn: BurnDown
    forecast_exhausted_on: dt.date | None

    @property
    def label(self) -> str:
        return ", ".join(self.codes)


def _cap_rows(
    auth: PriorAuthorization, *, used: list[AuthUsage], planned: list[AuthUsage], today: dt.date, live: bool
) -> tuple[CapRow, ...]:
    rows = []
    for cap in _caps(auth):
        codes = frozenset(cap.codes)
        cap_used = [u for u in used if u.code in codes]
        cap_planned = [p for p in planned if p.code in codes]
        burn = burn_down(authorized=cap.units, used=cap_used, planned=cap_planned)
        forecast = None
        if live:
            forecast = exhaustion_forecast(
                burn.remaining,
                planned_by_date(cap_planned),
                usage_daily_rate(cap_used, start_on=auth.start_on, today=today),
                today=today,
                until=auth.end_on,
            )
        rows.append(CapRow(codes=cap.codes, burn=burn, forecast_exhausted_on=forecast))
    return tuple(rows)


def _planned(
    auths: Sequence[PriorAuthorization], *, practice_id: int, today: dt.date, zone: ZoneInfo
) -> dict[int, list[AuthUsage]]:
    """Planned usage per authorization from the practice's scheduled appointments.

    Each appointment counts against at most one authorization of its patient: the one that
    covers its date (and provider, when named) and codes it, preferring one made out to the
    provider, then the one ending first.
    """
    live = [a for a in auths if a.status != AuthStatus.CANCELLED and a.end_on >= today]
    planned: dict[int, list[AuthUsage]] = defaultdict(list)
    if not live:
        return planned
    last_day = max(a.end_on for a in live)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    patient_ids = {a.patient_id for a in live}
    appointments = [
        a
        for a in upcoming_appointments(practice_id=practice_id, start=timezone.now(), end=end)
        if a.patient_id in patient_ids
    ]
    if not appointments:
        return planned
    credentials = dict(
        Provider.objects.filter(pk__in={a.provider_id for a in appointments}).values_list("pk", "credential")
    )
    timelines: dict[int, PolicyTimeline] = {}
    catalog = shipped_catalog()
    by_patient: dict[int, list[PriorAuthorization]] = defaultdict(list)
    for auth in sorted(live, key=lambda a: (a.rendering_provider_id is None, a.end_on, a.pk)):
        by_patient[auth.patient_id].append(auth)
    for appointment in appointments:
        session = PlannedSession(
            appointment_id=appointment.appointment_id,
            patient_id=appointment.patient_id,
            provider_id=appointment.provider_id,
            date_of_service=appointment.date_of_service,
            service_type=appointment.service_type,
            minutes=int((appointment.ends_at - appointment.starts_at).total_seconds() // 60),
            telehealth=appointment.telehealth,
            place_of_service=appointment.place_of_service,
            credential=credentials.get(appointment.provider_id, ""),
        )
        for auth in by_patient[appointment.patient_id]:
            if not auth.start_on <= session.date_of_service <= auth.end_on:
                continue
            if auth.rendering_provider_id is not None and auth.rendering_provider_id != session.provider_id:
                continue
            if auth.payer_id not in timelines:
                timelines[auth.payer_id] = payer_policy_timeline(payer_pk=auth.payer_id)
            usage = planned_usage(
                session,
                codes=frozenset(_codes(auth)),
                unit_kind=UnitKind(auth.unit_kind),
                rules=timelines[auth.payer_id].on(session.date_of_service).coding,
                catalog=catalog,
            )
            if usage is not None:
                planned[auth.pk].append(usage)
                break
    return planned


def _row(auth: PriorAuthorization, *, planned: list[AuthUsage], today: dt.date) -> AuthorizationRow:
    used = _used(auth)
    burn = burn_down(authorized=auth.authorized, used=used, planned=planned)
    stored = AuthStatus(auth.status)
    status = effective_status(
        stored=stored, authorized=auth.authorized, used=burn.used, end_on=auth.end_on, today=today
    )
    unit_kind = UnitKind(auth.unit_kind)
    forecast = None
    live = status in (AuthStatus.ACTIVE, AuthStatus.EXHAUSTED)
    if live:
        forecast = exhaustion_forecast(
            burn.remaining,
            planned_by_date(planned),
            usage_daily_rate(used, start_on=auth.start_on, today=today),
            today=today,
            until=auth.end_on,
        )
    provider = auth.rendering_provider
    return AuthorizationRow(
        authorization_id=auth.pk,
        patient_id=auth.patient_id,
        patient_name=f"{auth.patient.last_name}, {auth.patient.first_name}",
        payer_id=auth.payer_id,
        payer_name=auth.payer.name,
        number=auth.number,
        codes=_codes(auth),
        unit_kind=unit_kind,
        authorized=auth.authorized,
        start_on=auth.start_on,
        end_on=auth.end_on,
        rendering_provider_id=auth.rendering_provider_id,
        rendering_provider_name=f"{provider.first_name} {provider.last_name}, {provider.credential}"
        if provider is not None
        else "",
        stored_status=stored,
        status=status,
        notes=auth.notes,
        burn=burn,
        alerts=alert_conditions(
            authorized=auth.authorized,
            used=burn.used,
            end_on=auth.end_on,
            today=today,
            status=status,
            unit_kind=unit_kind,
        ),
        forecast_exhausted_on=forecast,
        today=today,
        caps=_cap_rows(auth, used=used, planned=planned, today=today, live=live),
    )


def _today_and_zone(practice_id: int) -> tuple[dt.date, ZoneInfo]:
    zone = practice_zone(practice_id=practice_id)
    return timezone.now().astimezone(zone).date(), zone


def _rows(
    auths: list[PriorAuthorization], *, practice_id: int, today: dt.date, zone: ZoneInfo
) -> list[AuthorizationRow]:
    planned = _planned(auths, practice_id=practice_id, today=today, zone=zone)
    return [_row(a, planned=planned.get(a.pk, []), today=today) for a in auths]


# ---- for people ------------------------------------------------------------------------------------


def _require_view(access: PracticeAccess, *, action: str) -> None:
    if not access.can(Capability.BILLING_VIEW):
        audit_event_record(
            context=access.audit,
            action=action,
            category=Category.BILLING,
            practice_id=access.practice_id,
            object_type="prior_authorization",
            outcome=AuditEvent.Outcome.DENIED,
            detail=f"reason=capability:{Capability.BILLING_VIEW}",
        )
        raise PermissionDenied()


@dataclass(frozen=True, slots=True)
class AuthorizationPage:
    rows: list[AuthorizationRow]
    total: int  # matching the filters, before the page is cut
    limit: int
    offset: int


def _matching_ids(
    auths: QuerySet[PriorAuthorization], *, status: str, alerting: bool, today: dt.date
) -> list[int]:
    """Ids of `auths` (ending soonest first) whose status on `today` is `status` and that alert
    today when `alerting`: one query of small facts, the same rules as the rows."""
    facts = (
        auths.order_by("end_on", "pk")
        .annotate(used_units=Coalesce(Sum("usages__units"), 0))
        .values_list("pk", "status", "authorized", "end_on", "unit_kind", "used_units")
    )
    ids = []
    for pk, stored, authorized, end_on, unit_kind, used in facts:
        now = effective_status(
            stored=AuthStatus(stored), authorized=authorized, used=used, end_on=end_on, today=today
        )
        if status and now != status:
            continue
        if alerting and not alert_conditions(
            authorized=authorized,
            used=used,
            end_on=end_on,
            today=today,
            status=now,
            unit_kind=UnitKind(unit_kind),
        ):
            continue
        ids.append(pk)
    return ids


def authorization_list(
    *,
    access: PracticeAccess,
    patient_id: int | None = None,
    payer_id: int | None = None,
    status: str = "",
    alerting: bool = False,
    offset: int = 0,
    limit: int = LIST_PAGE_SIZE,
) -> AuthorizationPage:
    """One page of the practice's authorizations (ending soonest first), filtered before the
    page is cut; `status` is the status on the practice's today, `alerting` keeps those with an
    alert condition today."""
    _require_view(access, action=AuditEvent.Action.LIST)
    today, zone = _today_and_zone(access.practice_id)
    auths = PriorAuthorization.objects.filter(practice_id=access.practice_id)
    if patient_id is not None:
        auths = auths.filter(patient_id=patient_id)
    if payer_id is not None:
        auths = auths.filter(payer_id=payer_id)
    limit, offset = page_bounds(limit, offset, max_size=MAX_PAGE_SIZE)
    ids = _matching_ids(auths, status=status, alerting=alerting, today=today)
    page_ids = ids[offset : offset + limit]
    page = list(_queryset(access.practice_id).filter(pk__in=page_ids).order_by("end_on", "pk"))
    rows = _rows(page, practice_id=access.practice_id, today=today, zone=zone)
    filters = [
        name
        for name, given in (
            ("patient", patient_id is not None),
            ("payer", payer_id is not None),
            ("status", bool(status)),
            ("alerting", alerting),
        )
        if given
    ]
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.LIST,
        category=Category.BILLING,
        practice_id=access.practice_id,
        object_type="prior_authorization",
        detail=f"view=authorizations;results={len(rows)};total={len(ids)};filters={','.join(filters) or 'none'}",
        shown_patient_ids=[a.patient_id for a in page],
    )
    return AuthorizationPage(rows=rows, total=len(ids), limit=limit, offset=offset)


def _daily_rate_label(row: AuthorizationRow, used: list[AuthUsage]) -> str:
    rate = usage_daily_rate(used, start_on=row.start_on, today=row.today)
    what = "units" if row.unit_kind is UnitKind.UNITS else "visits"
    return f"{rate.quantize(Decimal('0.1'))} {what} a day over the last 4 weeks"


def authorization_get(*, access: PracticeAccess, authorization_id: int) -> AuthorizationDetail:
    """One authorization with its usage history, the planned appointments and its alerts."""
    _require_view(access, action=AuditEvent.Action.VIEW)
    auth = _queryset(access.practice_id).filter(pk=authorization_id).first()
    if auth is None:
        audit_event_record(
            context=access.audit,
            action=AuditEvent.Action.VIEW,
            category=Category.BILLING,
            practice_id=access.practice_id,
            object_type="prior_authorization",
            object_id=authorization_id,
            outcome=AuditEvent.Outcome.DENIED,
            detail="reason=not_accessible",
        )
        raise NotFound()
    today, zone = _today_and_zone(access.practice_id)
    planned = _planned([auth], practice_id=access.practice_id, today=today, zone=zone).get(auth.pk, [])
    row = _row(auth, planned=planned, today=today)
    used = _used(auth)
    recorded = {u.source_id: u.created_at for u in auth.usages.all()}
    alerts = [
        AlertEntry(kind=a.kind, kind_label=a.get_kind_display(), raised_on=a.raised_on, message=a.message)
        for a in AuthorizationAlert.objects.filter(authorization_id=auth.pk).order_by("-raised_on", "kind")[
            :30
        ]
    ]
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.VIEW,
        category=Category.BILLING,
        practice_id=access.practice_id,
        patient_id=auth.patient_id,
        object_type="prior_authorization",
        object_id=auth.pk,
    )
    return AuthorizationDetail(
        row=row,
        used=tuple(UsageEntry(usage=u, recorded_at=recorded.get(u.ref)) for u in used),
        planned=tuple(UsageEntry(usage=p, recorded_at=None) for p in planned),
        alert_history=tuple(alerts),
        daily_rate=_daily_rate_label(row, used),
    )


def authorization_for_edit(*, access: PracticeAccess, authorization_id: int) -> PriorAuthorization:
    """The row behind the edit form (the caller has checked AUTHORIZATION_EDIT)."""
    auth = (
        PriorAuthorization.objects.filter(pk=authorization_id, practice_id=access.practice_id)
        .prefetch_related(Prefetch("codes", queryset=AuthorizedCode.objects.select_related("cap")))
        .first()
    )
    if auth is None:
        raise NotFound()
    return auth


def authorization_codes(auth: PriorAuthorization) -> tuple[str, ...]:
    return _codes(auth)


def authorization_caps(auth: PriorAuthorization) -> tuple[CapDetails, ...]:
    return _caps(auth)


# ---- for the claims side (system reads) ------------------------------------------------------------


def _unit_caps(auth: PriorAuthorization) -> tuple[UnitCap, ...]:
    usages = list(auth.usages.all())
    return tuple(
        UnitCap(
            codes=frozenset(cap.codes),
            units=cap.units,
            used=sum(u.units for u in usages if u.code in cap.codes),
        )
        for cap in _caps(auth)
    )


def _facts(auths: Iterable[PriorAuthorization]) -> list[AuthorizationFacts]:
    return [
        AuthorizationFacts(
            authorization_id=a.pk,
            patient_id=a.patient_id,
            payer_id=a.payer_id,
            number=a.number,
            codes=frozenset(_codes(a)),
            unit_kind=UnitKind(a.unit_kind),
            authorized=a.authorized,
            used=sum(u.units for u in a.usages.all()),
            start_on=a.start_on,
            end_on=a.end_on,
            rendering_provider_id=a.rendering_provider_id,
            status=AuthStatus(a.status),
            caps=_unit_caps(a),
        )
        for a in auths
    ]


def authorization_facts_for(*, patient_id: int, payer_id: int) -> list[AuthorizationFacts]:
    """Every authorization of the patient with the payer, `used` from recorded charges (3 queries)."""
    return _facts(
        PriorAuthorization.objects.filter(patient_id=patient_id, payer_id=payer_id)
        .prefetch_related(Prefetch("codes", queryset=AuthorizedCode.objects.select_related("cap")), "usages")
        .order_by("start_on", "pk")
    )


def authorization_facts_for_patients(
    *, patient_ids: Iterable[int]
) -> dict[tuple[int, int], list[AuthorizationFacts]]:
    """`authorization_facts_for` of many patients at once, keyed by (patient id, payer id)
    (3 queries whatever the number of patients)."""
    found: dict[tuple[int, int], list[AuthorizationFacts]] = {}
    for facts in _facts(
        PriorAuthorization.objects.filter(patient_id__in=set(patient_ids))
        .prefetch_related(Prefetch("codes", queryset=AuthorizedCode.objects.select_related("cap")), "usages")
        .order_by("start_on", "pk")
    ):
        found.setdefault((facts.patient_id, facts.payer_id), []).append(facts)
    return found


def authorization_match(
    *,
    patient_id: int,
    payer_id: int,
    code: str,
    on: dt.date,
    provider_id: int | None = None,
    units: int = 1,
) -> AuthorizationCheck:
    """The authorization a service bills against and any problem (none on file, outside the dates,
    another provider, cancelled, too few units left). Call it for codes the payer's policy says
    need one (`payer_rules.domain.policy.prior_auth_rule`)."""
    service = ServiceToAuthorize(
        patient_id=patient_id, payer_id=payer_id, code=code, on=on, provider_id=provider_id, units=units
    )
    return authorization_check(service, authorization_facts_for(patient_id=patient_id, payer_id=payer_id))


def authorization_number_for(
    *, patient_id: int, payer_id: int, code: str, on: dt.date, provider_id: int | None = None
) -> str | None:
    """The authorization number for the claim line (837P REF*G1), or None when none covers it."""
    return authorization_match(
        patient_id=patient_id, payer_id=payer_id, code=code, on=on, provider_id=provider_id
    ).number


def authorizations_for_alerts() -> list[tuple[int, PriorAuthorization]]:
    """(practice id, authorization) of every authorization not cancelled, with codes and usages."""
    auths = (
        PriorAuthorization.objects.exclude(status=PriorAuthorization.Status.CANCELLED)
        .prefetch_related("usages")
        .order_by("practice_id", "pk")
    )
    return [(a.practice_id, a) for a in auths]


def authorizations_running_out_count(*, access: PracticeAccess) -> int:
    """How many of the practice's authorizations alert today (nearly used up or about to end):
    the count behind `authorization_list(alerting=True)`, one query, no patient shown."""
    if not access.can(Capability.BILLING_VIEW):
        raise PermissionDenied()
    today, _ = _today_and_zone(access.practice_id)
    auths = PriorAuthorization.objects.filter(practice_id=access.practice_id)
    return len(_matching_ids(auths, status="", alerting=True, today=today))
