"""Reads of practice data: the practice, locations, providers, licences, supervision.

Every read is scoped by `access.practice_id`; an object of another practice is `NotFound`.
Provider data is not PHI, so these reads write no audit events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import PracticeAccess
from accounts.domain.enrolment import code_state
from accounts.domain.roles import Capability
from accounts.models import Membership, MfaEnrolmentCode
from core.errors import NotFound
from practice.domain.credentials import (
    CREDENTIAL_LABELS,
    LICENSE_ALERT_DAYS,
    Credential,
    LicenseStatus,
    credential_requires_npi,
    credential_requires_supervision,
    license_status,
)
from practice.domain.licenses import provider_license_status
from practice.domain.supervision import supervisors_on
from practice.domain.types import LicenseExpiry, SupervisionPeriod
from practice.models import License, LicenseAlert, Location, Practice, Provider, Supervision

FALLBACK_TIMEZONE = "America/New_York"


# --- time ---------------------------------------------------------------------------------------


def practice_zone(*, practice_id: int) -> ZoneInfo:
    """The practice's time zone (the fallback zone if the stored name is somehow unusable)."""
    name = Practice.objects.filter(pk=practice_id).values_list("timezone", flat=True).first()
    try:
        return ZoneInfo(name or FALLBACK_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(FALLBACK_TIMEZONE)


def practice_today(*, practice_id: int) -> date:
    """Today's date where the practice is (dates of service, expiry checks, deadlines)."""
    return timezone.now().astimezone(practice_zone(practice_id=practice_id)).date()


# --- the practice and its locations ------------------------------------------------------------


def provider_id_for_user(*, user_id: int, practice_id: int) -> int | None:
    return (
        Provider.objects.filter(user_id=user_id, practice_id=practice_id, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )


def practice_get(*, access: PracticeAccess) -> Practice:
    practice = Practice.objects.filter(pk=access.practice_id).first()
    if practice is None:
        raise NotFound()
    return practice


def _locations(access: PracticeAccess, *, active_only: bool) -> QuerySet[Location]:
    access.require(Capability.PROVIDER_VIEW)
    locations = Location.objects.filter(practice_id=access.practice_id)
    if active_only:
        locations = locations.filter(is_active=True)
    return locations.order_by("name", "pk")


def location_list(*, access: PracticeAccess, active_only: bool = False) -> list[Location]:
    return list(_locations(access, active_only=active_only))


@dataclass(frozen=True, slots=True)
class LocationPage:
    locations: list[Location]
    total: int


def location_page(
    *, access: PracticeAccess, active_only: bool = False, offset: int, limit: int
) -> LocationPage:
    """One page of `location_list` (filtered, counted and cut in the database)."""
    locations = _locations(access, active_only=active_only)
    return LocationPage(locations=list(locations[offset : offset + limit]), total=locations.count())


def location_get(*, access: PracticeAccess, location_id: int) -> Location:
    access.require(Capability.PROVIDER_VIEW)
    location = Location.objects.filter(pk=location_id, practice_id=access.practice_id).first()
    if location is None:
        raise NotFound()
    return location


# --- providers ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LicenseSummary:
    license_id: int
    number: str
    state: str
    kind: str
    issued_on: date | None
    expires_on: date
    status: LicenseStatus


@dataclass(frozen=True, slots=True)
class AlertSummary:
    alert_id: int
    license_id: int
    license_state: str
    license_number: str
    expires_on: date
    status: str


@dataclass(frozen=True, slots=True)
class EnrollmentSummary:
    enrollment_id: int
    payer_pk: int
    payer_name: str
    status: str
    status_label: str
    effective_on: date | None
    ends_on: date | None
    payer_provider_id: str


@dataclass(frozen=True, slots=True)
class SupervisionSummary:
    supervision_id: int
    supervisor_id: int
    supervisor_name: str
    supervisee_id: int
    supervisee_name: str
    starts_on: date
    ends_on: date | None
    current: bool


@dataclass(frozen=True, slots=True)
class PersonRef:
    provider_id: int
    name: str


@dataclass(frozen=True, slots=True)
class ProviderOverview:
    """A provider with everything the provider screens and API show, as of `today`."""

    provider_id: int
    first_name: str
    last_name: str
    full_name: str
    npi: str
    taxonomy_code: str
    credential: str
    credential_label: str
    requires_supervision: bool
    is_active: bool
    user_id: int | None
    today: date
    license_status: LicenseStatus
    licenses: tuple[LicenseSummary, ...]
    open_alerts: tuple[AlertSummary, ...]
    enrollments: tuple[EnrollmentSummary, ...]
    supervisors_today: tuple[PersonRef, ...]
    supervisions: tuple[SupervisionSummary, ...]  # as supervisee, newest first
    supervisees: tuple[SupervisionSummary, ...]  # as supervisor (detail only), newest first


def _period(s: Supervision) -> SupervisionPeriod:
    return SupervisionPeriod(
        supervision_id=s.pk,
        supervisor_id=s.supervisor_id,
        supervisee_id=s.supervisee_id,
        starts_on=s.starts_on,
        ends_on=s.ends_on,
    )


def _supervision_summary(s: Supervision, *, today: date) -> SupervisionSummary:
    return SupervisionSummary(
        supervision_id=s.pk,
        supervisor_id=s.supervisor_id,
        supervisor_name=s.supervisor.full_name,
        supervisee_id=s.supervisee_id,
        supervisee_name=s.supervisee.full_name,
        starts_on=s.starts_on,
        ends_on=s.ends_on,
        current=_period(s).covers(today),
    )


def _providers_queryset(*, practice_id: int, detail: bool):  # type: ignore[no-untyped-def]
    prefetches: list[str | Prefetch] = [  # type: ignore[type-arg]
        Prefetch("licenses", queryset=License.objects.order_by("expires_on", "pk")),
        Prefetch(
            "licenses__alerts",
            queryset=LicenseAlert.objects.filter(acknowledged_at__isnull=True).order_by("pk"),
        ),
        Prefetch(
            "supervisors",
            queryset=Supervision.objects.select_related("supervisor", "supervisee").order_by(
                "-starts_on", "pk"
            ),
        ),
        "enrollments__payer",
    ]
    if detail:
        prefetches.append(
            Prefetch(
                "supervisees",
                queryset=Supervision.objects.select_related("supervisor", "supervisee").order_by(
                    "-starts_on", "pk"
                ),
            )
        )
    return Provider.objects.filter(practice_id=practice_id).prefetch_related(*prefetches)


def _overview(provider: Provider, *, today: date, detail: bool) -> ProviderOverview:
    licenses = list(provider.licenses.all())
    supervisions = list(provider.supervisors.all())
    names = {s.supervisor_id: s.supervisor.full_name for s in supervisions}
    periods = [_period(s) for s in supervisions]
    open_alerts = tuple(
        AlertSummary(
            alert_id=alert.pk,
            license_id=lic.pk,
            license_state=lic.state,
            license_number=lic.number,
            expires_on=alert.expires_on,
            status=alert.status,
        )
        for lic in licenses
        for alert in lic.alerts.all()
        if alert.expires_on == lic.expires_on  # a renewed licence's old alerts no longer apply
    )
    enrollments = sorted(provider.enrollments.all(), key=lambda e: (e.payer.name, e.pk))
    credential = provider.credential
    return ProviderOverview(
        provider_id=provider.pk,
        first_name=provider.first_name,
        last_name=provider.last_name,
        full_name=provider.full_name,
        npi=provider.npi,
        taxonomy_code=provider.taxonomy_code,
        credential=credential,
        credential_label=CREDENTIAL_LABELS.get(Credential(credential), credential),
        requires_supervision=credential_requires_supervision(credential),
        is_active=provider.is_active,
        user_id=provider.user_id,
        today=today,
        license_status=provider_license_status((lic.expires_on for lic in licenses), today=today),
        licenses=tuple(
            LicenseSummary(
                license_id=lic.pk,
                number=lic.number,
                state=lic.state,
                kind=lic.kind,
                issued_on=lic.issued_on,
                expires_on=lic.expires_on,
                status=license_status(lic.expires_on, today=today),
            )
            for lic in licenses
        ),
        open_alerts=open_alerts,
        enrollments=tuple(
            EnrollmentSummary(
                enrollment_id=e.pk,
                payer_pk=e.payer_id,
                payer_name=e.payer.name,
                status=e.status,
                status_label=e.get_status_display(),
                effective_on=e.effective_on,
                ends_on=e.ends_on,
                payer_provider_id=e.payer_provider_id,
            )
            for e in enrollments
        ),
        supervisors_today=tuple(
            PersonRef(provider_id=pid, name=names[pid]) for pid in supervisors_on(today, periods)
        ),
        supervisions=tuple(_supervision_summary(s, today=today) for s in supervisions),
        supervisees=(
            tuple(_supervision_summary(s, today=today) for s in provider.supervisees.all()) if detail else ()
        ),
    )


def provider_overview_list(
    *, access: PracticeAccess, today: date | None = None, active_only: bool = False
) -> list[ProviderOverview]:
    """All providers of the practice with licences, alerts, enrolments and supervisors.

    A fixed number of queries whatever the number of providers (no N+1).
    """
    return provider_overview_page(access=access, today=today, active_only=active_only).providers


@dataclass(frozen=True, slots=True)
class ProviderPage:
    providers: list[ProviderOverview]
    total: int


def provider_overview_page(
    *,
    access: PracticeAccess,
    today: date | None = None,
    active_only: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> ProviderPage:
    """One page (every provider when `limit` is None) of `provider_overview_list`: filtered,
    then counted and cut in the database; a fixed number of queries."""
    access.require(Capability.PROVIDER_VIEW)
    today = today or practice_today(practice_id=access.practice_id)
    providers = _providers_queryset(practice_id=access.practice_id, detail=False)
    if active_only:
        providers = providers.filter(is_active=True)
    ordered = providers.order_by("last_name", "first_name", "pk")
    if limit is None:
        rows = [_overview(p, today=today, detail=False) for p in ordered]
        return ProviderPage(providers=rows, total=len(rows))
    rows = [_overview(p, today=today, detail=False) for p in ordered[offset : offset + limit]]
    return ProviderPage(providers=rows, total=providers.count())


def provider_overview_get(
    *, access: PracticeAccess, provider_id: int, today: date | None = None
) -> ProviderOverview:
    access.require(Capability.PROVIDER_VIEW)
    provider = _providers_queryset(practice_id=access.practice_id, detail=True).filter(pk=provider_id).first()
    if provider is None:
        raise NotFound()
    return _overview(provider, today=today or practice_today(practice_id=access.practice_id), detail=True)


def provider_get(*, access: PracticeAccess, provider_id: int) -> Provider:
    """One provider of the current practice (for services and forms)."""
    provider = Provider.objects.filter(pk=provider_id, practice_id=access.practice_id).first()
    if provider is None:
        raise NotFound()
    return provider


def provider_choices(*, access: PracticeAccess, active_only: bool = True) -> list[tuple[int, str]]:
    """(id, "First Last, CRED") pairs for pickers."""
    providers = Provider.objects.filter(practice_id=access.practice_id)
    if active_only:
        providers = providers.filter(is_active=True)
    rows = providers.order_by("last_name", "first_name", "pk").values_list(
        "pk", "first_name", "last_name", "credential"
    )
    return [(pk, f"{first} {last}, {credential}") for pk, first, last, credential in rows]


def supervision_get(*, access: PracticeAccess, supervision_id: int) -> Supervision:
    supervision = (
        Supervision.objects.select_related("supervisor", "supervisee")
        .filter(pk=supervision_id, supervisee__practice_id=access.practice_id)
        .first()
    )
    if supervision is None:
        raise NotFound()
    return supervision


def supervision_periods_between(*, provider_a_id: int, provider_b_id: int) -> list[SupervisionPeriod]:
    """Every period recorded between two providers, in either direction."""
    rows = Supervision.objects.filter(
        supervisor_id__in=(provider_a_id, provider_b_id),
        supervisee_id__in=(provider_a_id, provider_b_id),
    ).order_by("starts_on", "pk")
    return [_period(s) for s in rows]


def supervised_on(*, supervisor_id: int, supervisee_ref: str, on_ref: str) -> Q:
    """A condition for another app's query: `supervisor_id` supervised the provider in column
    `supervisee_ref` on the date in column `on_ref` (e.g. a note's author and date of service).
    A lookup on the small supervision table per row, instead of a join back to that table."""
    supervisees = Supervision.objects.filter(supervisor_id=supervisor_id).values("supervisee_id")
    # The cheap hashed test first; the per-row date test only for the supervisor's supervisees.
    return Q(**{f"{supervisee_ref}__in": supervisees}) & Q(
        Exists(
            Supervision.objects.filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef(on_ref)),
                supervisor_id=supervisor_id,
                supervisee_id=OuterRef(supervisee_ref),
                starts_on__lte=OuterRef(on_ref),
            )
        )
    )


def supervision_periods_for_supervisee(*, supervisee_id: int) -> list[SupervisionPeriod]:
    """A supervisee's periods: pass them to `practice.domain.supervision.supervisor_on(date, ...)`."""
    rows = Supervision.objects.filter(supervisee_id=supervisee_id).order_by("starts_on", "pk")
    return [_period(s) for s in rows]


def license_expiries_for_alerts(*, practice_id: int | None = None) -> list[tuple[int, LicenseExpiry]]:
    """(practice id, licence expiry) for every licence of an active provider."""
    rows = License.objects.filter(provider__is_active=True)
    if practice_id is not None:
        rows = rows.filter(provider__practice_id=practice_id)
    return [
        (practice, LicenseExpiry(license_id=pk, expires_on=expires_on))
        for pk, practice, expires_on in rows.order_by("pk").values_list(
            "pk", "provider__practice_id", "expires_on"
        )
    ]


def license_get(*, access: PracticeAccess, license_id: int) -> License:
    lic = License.objects.filter(pk=license_id, provider__practice_id=access.practice_id).first()
    if lic is None:
        raise NotFound()
    return lic


def license_alert_get(*, access: PracticeAccess, alert_id: int) -> LicenseAlert:
    alert = LicenseAlert.objects.filter(
        pk=alert_id, license__provider__practice_id=access.practice_id
    ).first()
    if alert is None:
        raise NotFound()
    return alert


def practice_timezones() -> dict[int, str]:
    """Every practice's time-zone name, by practice id (for jobs that span practices)."""
    return dict(Practice.objects.values_list("pk", "timezone"))


# --- facts for billing (claims reads these; plain values) ----------------------------------------


@dataclass(frozen=True, slots=True)
class LicenseSpan:
    issued_on: date | None
    expires_on: date


@dataclass(frozen=True, slots=True)
class BillingProvider:
    """A provider as a claim names them, with their licences."""

    provider_id: int
    name: str
    npi: str
    credential: str
    licenses: tuple[LicenseSpan, ...]


def billing_providers(*, provider_ids: Iterable[int]) -> dict[int, BillingProvider]:
    """The providers by id, with their licences (one query whatever the number)."""
    rows = (
        Provider.objects.filter(pk__in=set(provider_ids))
        .order_by("pk", "licenses__expires_on", "licenses__pk")
        .values_list(
            "pk",
            "first_name",
            "last_name",
            "npi",
            "credential",
            "licenses__issued_on",
            "licenses__expires_on",
        )
    )
    found: dict[int, BillingProvider] = {}
    for pk, first, last, npi, credential, issued_on, expires_on in rows:
        provider = found.get(pk) or BillingProvider(
            provider_id=pk, name=f"{first} {last}", npi=npi, credential=credential, licenses=()
        )
        if expires_on is not None:
            provider = replace(
                provider,
                licenses=(*provider.licenses, LicenseSpan(issued_on=issued_on, expires_on=expires_on)),
            )
        found[pk] = provider
    return found


@dataclass(frozen=True, slots=True)
class PracticeBillingFacts:
    billing_npi: str
    today: date  # today where the practice is


def practice_billing_facts(*, practice_id: int) -> PracticeBillingFacts:
    """The practice's billing NPI and today's date in its time zone (one query). Raises NotFound."""
    row = Practice.objects.filter(pk=practice_id).values_list("billing_npi", "timezone").first()
    if row is None:
        raise NotFound()
    try:
        zone = ZoneInfo(row[1] or FALLBACK_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(FALLBACK_TIMEZONE)
    return PracticeBillingFacts(billing_npi=row[0], today=timezone.now().astimezone(zone).date())


@dataclass(frozen=True)
class TeamMember:
    user_id: int
    username: str
    full_name: str
    role: str
    has_authenticator: bool
    code_state: str | None  # the latest enrolment code's state (accounts.domain.enrolment.CodeState)
    code_expires_at: dt.datetime | None


def team_members(*, access: PracticeAccess) -> list[TeamMember]:
    """The practice's active members with their sign-in security state (no PHI)."""
    access.require(Capability.PRACTICE_MANAGE)
    memberships = (
        Membership.objects.filter(practice_id=access.practice_id, is_active=True)
        .select_related("user")
        .annotate(
            has_device=Exists(TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True)),
        )
        .order_by("user__username")
    )
    latest: dict[int, MfaEnrolmentCode] = {}
    for issued in MfaEnrolmentCode.objects.filter(
        user_id__in=[m.user_id for m in memberships], practice_id=access.practice_id
    ).order_by("created_at", "pk"):
        latest[issued.user_id] = issued
    now = timezone.now()
    rows = []
    for m in memberships:
        code: MfaEnrolmentCode | None = latest.get(m.user_id)
        rows.append(
            TeamMember(
                user_id=m.user_id,
                username=m.user.username,
                full_name=m.user.get_full_name(),
                role=m.role,
                has_authenticator=bool(m.has_device),
                code_state=(
                    code_state(
                        expires_at=code.expires_at, used_at=code.used_at, revoked_at=code.revoked_at, now=now
                    ).value
                    if code is not None
                    else None
                ),
                code_expires_at=code.expires_at if code is not None else None,
            )
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Counts for the home page (numbers about the practice's set-up, no PHI: no audit event)


def supervises_anyone_on(*, supervisor_id: int, on: date) -> bool:
    """Whether `supervisor_id` supervises at least one provider on `on`."""
    return Supervision.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on), supervisor_id=supervisor_id, starts_on__lte=on
    ).exists()


@dataclass(frozen=True, slots=True)
class PracticeSetupCounts:
    providers_without_npi: int  # active providers whose credential bills under their own NPI
    licenses_expiring: int  # licences of active providers expired or expiring within the alert window


def practice_setup_counts(*, access: PracticeAccess, today: date) -> PracticeSetupCounts:
    """The set-up problems a practice admin fixes: two queries."""
    access.require(Capability.PROVIDER_VIEW)
    active = Provider.objects.filter(practice_id=access.practice_id, is_active=True)
    return PracticeSetupCounts(
        providers_without_npi=active.filter(npi="", credential__in=_OWN_NPI_CREDENTIALS).count(),
        licenses_expiring=License.objects.filter(
            provider__in=active, expires_on__lte=today + timedelta(days=LICENSE_ALERT_DAYS)
        ).count(),
    )


_OWN_NPI_CREDENTIALS = [c.value for c in Credential if credential_requires_npi(c)]


def billing_provider_ids(*, access: PracticeAccess) -> list[int]:
    """The practice's active providers who bill under their own NPI (they need payer enrolment)."""
    access.require(Capability.PROVIDER_VIEW)
    return list(
        Provider.objects.filter(
            practice_id=access.practice_id, is_active=True, credential__in=_OWN_NPI_CREDENTIALS
        ).values_list("pk", flat=True)
    )
