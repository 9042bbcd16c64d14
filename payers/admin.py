"""Django admin for payers and enrolments. Forms run the same pure rules as the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from core.domain.problems import Problem
from payers.domain.rules import enrollment_problems, payer_problems
from payers.domain.types import EnrollmentDetails, PayerDetails
from payers.models import Payer, PayerEnrollment
from practice.admin import raise_problems


class PayerAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Payer
        fields = (
            "practice",
            "name",
            "kind",
            "payer_id",
            "claim_filing_indicator",
            "address_line1",
            "address_line2",
            "city",
            "state",
            "postal_code",
            "phone",
            "timely_filing_days",
            "appeal_window_days",
            "is_active",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = {
            name: str(data.get(name) or "")
            for name in PayerDetails.__dataclass_fields__
            if name not in {"timely_filing_days", "appeal_window_days"}
        }
        details = PayerDetails(
            **text,
            timely_filing_days=int(data.get("timely_filing_days") or 0),
            appeal_window_days=int(data.get("appeal_window_days") or 0),
        )
        raise_problems(self, payer_problems(details))
        return data


@admin.register(Payer)
class PayerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = PayerAdminForm
    list_display = ("name", "kind", "payer_id", "claim_filing_indicator", "practice", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("practice",)
    search_fields = ("name", "payer_id")


class PayerEnrollmentAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PayerEnrollment
        fields = ("provider", "payer", "status", "effective_on", "ends_on", "payer_provider_id")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        payer = data.get("payer")
        provider = data.get("provider")
        details = EnrollmentDetails(
            status=str(data.get("status") or ""),
            effective_on=data.get("effective_on"),
            ends_on=data.get("ends_on"),
            payer_provider_id=str(data.get("payer_provider_id") or ""),
        )
        problems = enrollment_problems(details, payer_kind=payer.kind if payer is not None else "")
        if payer is not None and provider is not None and payer.practice_id != provider.practice_id:
            problems.append(
                Problem("enrollment_other_practice", "Provider and payer are in different practices.")
            )
        raise_problems(self, problems)
        return data


@admin.register(PayerEnrollment)
class PayerEnrollmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = PayerEnrollmentAdminForm
    list_display = ("provider", "payer", "status", "effective_on", "ends_on")
    list_filter = ("status",)
    list_select_related = ("provider", "payer")
