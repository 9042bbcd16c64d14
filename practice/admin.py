"""Django admin for practice data. Forms run the same pure rules as the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.domain.problems import Problem, field_errors
from practice.domain.credentials import credential_can_supervise
from practice.domain.place_of_service import PLACES_OF_SERVICE
from practice.domain.rules import (
    license_problems,
    location_problems,
    practice_problems,
    provider_problems,
)
from practice.domain.types import LicenseDetails, LocationDetails, PracticeDetails, ProviderDetails
from practice.models import License, LicenseAlert, Location, Practice, Provider, SftpConnection, Supervision


def raise_problems(form: forms.ModelForm, problems: list[Problem]) -> None:  # type: ignore[type-arg]
    """Attach problems to the admin form's fields (or to the form when the field is absent)."""
    grouped = field_errors(problems)
    if not grouped:
        return
    errors: dict[str, list[str]] = {}
    for field, messages in grouped.items():
        key = field if field in form.fields else "__all__"
        errors.setdefault(key, []).extend(messages)
    raise ValidationError(errors)


def _text(data: dict[str, Any], name: str) -> str:
    return str(data.get(name) or "")


class PracticeAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Practice
        fields = (
            "legal_name",
            "tax_id",
            "billing_npi",
            "taxonomy_code",
            "address_line1",
            "address_line2",
            "city",
            "state",
            "postal_code",
            "phone",
            "timezone",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        details = PracticeDetails(
            **{name: _text(data, name) for name in PracticeDetails.__dataclass_fields__}
        )
        raise_problems(self, practice_problems(details))
        return data


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = PracticeAdminForm
    list_display = ("legal_name", "billing_npi", "tax_id", "timezone")
    search_fields = ("legal_name", "billing_npi")


class LocationAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    default_place_of_service = forms.ChoiceField(
        choices=[(code, f"{code} · {label}") for code, label in PLACES_OF_SERVICE.items()]
    )

    class Meta:
        model = Location
        fields = (
            "practice",
            "name",
            "address_line1",
            "address_line2",
            "city",
            "state",
            "postal_code",
            "npi",
            "default_place_of_service",
            "is_active",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        details = LocationDetails(
            **{name: _text(data, name) for name in LocationDetails.__dataclass_fields__}
        )
        raise_problems(self, location_problems(details))
        return data


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = LocationAdminForm
    list_display = ("name", "practice", "default_place_of_service", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("practice",)


class LicenseInlineForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = License
        fields = ("provider", "number", "state", "kind", "issued_on", "expires_on")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        details = LicenseDetails(
            number=_text(data, "number"),
            state=_text(data, "state"),
            kind=_text(data, "kind"),
            issued_on=data.get("issued_on"),
            expires_on=data.get("expires_on"),
        )
        raise_problems(self, license_problems(details))
        return data


class LicenseInline(admin.TabularInline):  # type: ignore[type-arg]
    model = License
    form = LicenseInlineForm
    extra = 0


class SupervisionInlineForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Supervision
        fields = ("supervisor", "supervisee", "starts_on", "ends_on")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        supervisor = data.get("supervisor")
        problems: list[Problem] = []
        supervisee = getattr(self.instance, "supervisee", None) if self.instance.supervisee_id else None
        if supervisor is not None and not credential_can_supervise(supervisor.credential):
            problems.append(
                Problem("supervisor_credential", "This credential cannot supervise.", "supervisor")
            )
        if supervisor is not None and supervisee is not None:
            if supervisor.pk == supervisee.pk:
                problems.append(
                    Problem("supervision_self", "A provider cannot supervise themselves.", "supervisor")
                )
            elif supervisor.practice_id != supervisee.practice_id:
                problems.append(
                    Problem(
                        "supervision_other_practice",
                        "The supervisor must be in the same practice.",
                        "supervisor",
                    )
                )
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            problems.append(
                Problem("supervision_dates_order", "The end date cannot be before the start date.", "ends_on")
            )
        raise_problems(self, problems)
        return data


class SupervisionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Supervision
    form = SupervisionInlineForm
    fk_name = "supervisee"
    extra = 0
    verbose_name = "supervisor"
    verbose_name_plural = "supervised by"


class ProviderAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Provider
        fields = (
            "practice",
            "user",
            "first_name",
            "last_name",
            "npi",
            "taxonomy_code",
            "credential",
            "is_active",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        details = ProviderDetails(
            **{name: _text(data, name) for name in ProviderDetails.__dataclass_fields__}
        )
        raise_problems(self, provider_problems(details))
        return data


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = ProviderAdminForm
    inlines = (LicenseInline, SupervisionInline)
    list_display = ("last_name", "first_name", "credential", "npi", "practice", "is_active")
    list_filter = ("credential", "is_active")
    list_select_related = ("practice",)
    search_fields = ("last_name", "first_name", "npi")
    raw_id_fields = ("user",)


@admin.register(LicenseAlert)
class LicenseAlertAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("license", "expires_on", "status", "acknowledged_at", "created_at")
    list_filter = ("status",)
    list_select_related = ("license",)


@admin.register(SftpConnection)
class SftpConnectionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The clearinghouse SFTP connection: no secrets here (key file path, passphrase env name)."""

    list_display = ["practice", "host", "port", "username"]
