"""Ready-to-show rows for the practice screens: formatted dates, badge classes, URLs.

Templates only print these values; every decision (status, colour, wording) is made here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from practice.domain.credentials import LicenseStatus
from practice.domain.place_of_service import place_of_service_label
from practice.selectors import LicenseSummary, ProviderOverview, SupervisionSummary

LICENSE_BADGES: dict[LicenseStatus, tuple[str, str]] = {
    LicenseStatus.ACTIVE: ("Active", "ok"),
    LicenseStatus.EXPIRING: ("Expiring soon", "warn"),
    LicenseStatus.EXPIRED: ("Expired", "bad"),
    LicenseStatus.MISSING: ("Missing", "bad"),
}

ENROLLMENT_BADGE_CLASSES = {
    "enrolled": "ok",
    "pending": "warn",
    "denied": "bad",
    "terminated": "bad",
    "not_started": "",
}

DASH = "—"


def format_date(value: date | None, *, empty: str = DASH) -> str:
    if value is None:
        return empty
    return f"{value:%b} {value.day}, {value.year}"


def _license_badge(status: LicenseStatus, *, requires_supervision: bool) -> tuple[str, str]:
    if status is LicenseStatus.MISSING and requires_supervision:
        return ("None on file", "")  # technicians work under their supervisor's licence
    return LICENSE_BADGES[status]


@dataclass(frozen=True, slots=True)
class Badge:
    label: str
    css: str


@dataclass(frozen=True, slots=True)
class EnrollmentBadge:
    payer_name: str
    status_label: str
    css: str


@dataclass(frozen=True, slots=True)
class AlertRow:
    alert_id: int
    text: str
    css: str
    acknowledge_url: str


@dataclass(frozen=True, slots=True)
class ProviderRow:
    """One line of the provider list."""

    provider_id: int
    detail_url: str
    name: str
    credential: str
    credential_label: str
    npi: str
    supervisors: str
    supervision_badge: Badge | None
    license: Badge
    enrollments: tuple[EnrollmentBadge, ...]
    alerts: tuple[AlertRow, ...]
    inactive: bool


def _alerts(overview: ProviderOverview) -> tuple[AlertRow, ...]:
    rows = []
    for alert in overview.open_alerts:
        verb = "expired" if alert.status == LicenseStatus.EXPIRED else "expires"
        rows.append(
            AlertRow(
                alert_id=alert.alert_id,
                text=f"{alert.license_state} licence {alert.license_number} {verb} {format_date(alert.expires_on)}",
                css="bad" if alert.status == LicenseStatus.EXPIRED else "warn",
                acknowledge_url=reverse("practice:alert_acknowledge", args=[alert.alert_id]),
            )
        )
    return tuple(rows)


def _supervision_badge(overview: ProviderOverview) -> Badge | None:
    if overview.requires_supervision and not overview.supervisors_today and overview.is_active:
        return Badge("No supervisor today", "bad")
    return None


def provider_row(overview: ProviderOverview) -> ProviderRow:
    label, css = _license_badge(overview.license_status, requires_supervision=overview.requires_supervision)
    return ProviderRow(
        provider_id=overview.provider_id,
        detail_url=reverse("practice:provider_detail", args=[overview.provider_id]),
        name=f"{overview.last_name}, {overview.first_name}",
        credential=overview.credential,
        credential_label=overview.credential_label,
        npi=overview.npi or DASH,
        supervisors=", ".join(p.name for p in overview.supervisors_today) or DASH,
        supervision_badge=_supervision_badge(overview),
        license=Badge(label, css),
        enrollments=tuple(
            EnrollmentBadge(
                payer_name=e.payer_name,
                status_label=e.status_label,
                css=ENROLLMENT_BADGE_CLASSES.get(e.status, ""),
            )
            for e in overview.enrollments
        ),
        alerts=_alerts(overview),
        inactive=not overview.is_active,
    )


@dataclass(frozen=True, slots=True)
class LicenseRow:
    license_id: int
    number: str
    state: str
    kind: str
    issued_on: str
    expires_on: str
    badge: Badge
    renew_url: str


@dataclass(frozen=True, slots=True)
class SupervisionRow:
    supervision_id: int
    other_name: str
    other_url: str
    starts_on: str
    ends_on: str
    current: bool
    can_end: bool
    end_url: str


@dataclass(frozen=True, slots=True)
class EnrollmentRow:
    payer_name: str
    status_label: str
    css: str
    effective_on: str
    ends_on: str
    payer_provider_id: str
    edit_url: str


@dataclass(frozen=True, slots=True)
class ProviderPage:
    """The provider detail screen."""

    row: ProviderRow
    full_name: str
    taxonomy_code: str
    is_active: bool
    today: str
    licenses: tuple[LicenseRow, ...]
    supervisors: tuple[SupervisionRow, ...]
    supervisees: tuple[SupervisionRow, ...]
    enrollments: tuple[EnrollmentRow, ...]
    enrollment_set_url: str
    edit_url: str


def _license_row(lic: LicenseSummary) -> LicenseRow:
    label, css = LICENSE_BADGES[lic.status]
    return LicenseRow(
        license_id=lic.license_id,
        number=lic.number,
        state=lic.state,
        kind=lic.kind or DASH,
        issued_on=format_date(lic.issued_on),
        expires_on=format_date(lic.expires_on),
        badge=Badge(label, css),
        renew_url=reverse("practice:license_renew", args=[lic.license_id]),
    )


def _supervision_row(s: SupervisionSummary, *, as_supervisee: bool) -> SupervisionRow:
    other_id = s.supervisor_id if as_supervisee else s.supervisee_id
    return SupervisionRow(
        supervision_id=s.supervision_id,
        other_name=s.supervisor_name if as_supervisee else s.supervisee_name,
        other_url=reverse("practice:provider_detail", args=[other_id]),
        starts_on=format_date(s.starts_on),
        ends_on=format_date(s.ends_on, empty="open"),
        current=s.current,
        can_end=s.ends_on is None,
        end_url=reverse("practice:supervision_end", args=[s.supervision_id]),
    )


def provider_page(overview: ProviderOverview) -> ProviderPage:
    enrollment_url = reverse("payers:enrollment_set")
    return ProviderPage(
        row=provider_row(overview),
        full_name=overview.full_name,
        taxonomy_code=overview.taxonomy_code or DASH,
        is_active=overview.is_active,
        today=format_date(overview.today),
        licenses=tuple(_license_row(lic) for lic in overview.licenses),
        supervisors=tuple(_supervision_row(s, as_supervisee=True) for s in overview.supervisions),
        supervisees=tuple(_supervision_row(s, as_supervisee=False) for s in overview.supervisees),
        enrollments=tuple(
            EnrollmentRow(
                payer_name=e.payer_name,
                status_label=e.status_label,
                css=ENROLLMENT_BADGE_CLASSES.get(e.status, ""),
                effective_on=format_date(e.effective_on),
                ends_on=format_date(e.ends_on),
                payer_provider_id=e.payer_provider_id or DASH,
                edit_url=f"{enrollment_url}?provider={overview.provider_id}&payer={e.payer_pk}",
            )
            for e in overview.enrollments
        ),
        enrollment_set_url=f"{enrollment_url}?provider={overview.provider_id}",
        edit_url=reverse("practice:provider_edit", args=[overview.provider_id]),
    )


@dataclass(frozen=True, slots=True)
class LocationRow:
    location_id: int
    name: str
    address: str
    npi: str
    place_of_service: str
    is_active: bool
    edit_url: str


def location_row(
    *,
    location_id: int,
    name: str,
    address_line1: str,
    address_line2: str,
    city: str,
    state: str,
    postal_code: str,
    npi: str,
    default_place_of_service: str,
    is_active: bool,
) -> LocationRow:
    street = ", ".join(part for part in (address_line1, address_line2) if part)
    return LocationRow(
        location_id=location_id,
        name=name,
        address=f"{street}, {city}, {state} {postal_code}",
        npi=npi or DASH,
        place_of_service=f"{default_place_of_service} · {place_of_service_label(default_place_of_service)}",
        is_active=is_active,
        edit_url=reverse("practice:location_edit", args=[location_id]),
    )
