"""Django admin for prior authorizations. The form runs the same pure rules as the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from authorizations.domain.rules import authorization_problems, details_normalized
from authorizations.domain.types import AuthorizationDetails
from authorizations.models import AuthorizationAlert, AuthorizationUsage, AuthorizedCode, PriorAuthorization
from coding.domain.code_sets import shipped_catalog
from coding.domain.types import CodeKind
from practice.admin import raise_problems


class PriorAuthorizationAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PriorAuthorization
        fields = (
            "practice",
            "patient",
            "payer",
            "number",
            "unit_kind",
            "authorized",
            "start_on",
            "end_on",
            "rendering_provider",
            "status",
            "notes",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_on"), data.get("end_on")
        if start is None or end is None:
            return data
        details = details_normalized(
            AuthorizationDetails(
                number=str(data.get("number") or ""),
                codes=(),
                unit_kind=str(data.get("unit_kind") or ""),
                authorized=int(data.get("authorized") or 0),
                start_on=start,
                end_on=end,
                notes=str(data.get("notes") or ""),
            )
        )
        problems = authorization_problems(details, catalog=shipped_catalog())
        # Codes are edited in the inline below, which checks each one.
        raise_problems(self, [p for p in problems if p.field != "codes"])
        data["number"] = details.number
        return data


class AuthorizedCodeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = AuthorizedCode
        fields = ("code",)

    def clean_code(self) -> str:
        code = str(self.cleaned_data.get("code") or "").strip().upper()
        if not any(v.kind in (CodeKind.CPT, CodeKind.HCPCS) for v in shipped_catalog().any_version(code)):
            raise forms.ValidationError(f"{code} is not a CPT or HCPCS code.")
        return code


class AuthorizedCodeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = AuthorizedCode
    form = AuthorizedCodeForm
    extra = 1


class AuthorizationUsageInline(admin.TabularInline):  # type: ignore[type-arg]
    model = AuthorizationUsage
    extra = 0
    can_delete = False
    readonly_fields = ("source_id", "code", "units", "service_date", "created_at")
    fields = readonly_fields

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # usage comes from captured charges (authorization_usage_record)


@admin.register(PriorAuthorization)
class PriorAuthorizationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = PriorAuthorizationAdminForm
    inlines = (AuthorizedCodeInline, AuthorizationUsageInline)
    list_display = ("pk", "number", "payer", "start_on", "end_on", "unit_kind", "authorized", "status")
    list_filter = ("status", "unit_kind")
    list_select_related = ("payer",)
    raw_id_fields = ("patient", "rendering_provider")
    search_fields = ("number",)


@admin.register(AuthorizationAlert)
class AuthorizationAlertAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("authorization", "kind", "raised_on", "message", "acknowledged_at")
    list_filter = ("kind",)
    readonly_fields = ("authorization", "kind", "raised_on", "remaining", "days_left", "message")
