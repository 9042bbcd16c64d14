"""Django admin for payers and enrolments. Forms run the same pure rules as the services."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django import forms
from django.contrib import admin

from coding.domain.code_sets import shipped_catalog
from core.domain.problems import Problem
from payers.domain.policy import (
    VersionSpan,
    policy_document,
    policy_from_document,
    version_dates_problems,
    version_overlap_problems,
)
from payers.domain.policy_checks import policy_problems
from payers.domain.rules import enrollment_problems, payer_problems
from payers.domain.types import EnrollmentDetails, PayerDetails
from payers.models import Payer, PayerEnrollment, PayerRuleSet
from payers.selectors import rule_set_spans
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


class PayerRuleSetAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """The rules document as JSON, checked by the same pure rules as the rule-set services.

    Unlike the screens, the admin does not end the previous open-ended version for you: set its
    end date first (the overlap check says which one).
    """

    class Meta:
        model = PayerRuleSet
        fields = ("payer", "effective_from", "effective_to", "rules", "notes")
        help_texts = {"rules": "JSON document; see payers/domain/policy.py for every key."}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        payer = data.get("payer")
        start = data.get("effective_from")
        if "rules" not in data or payer is None or start is None:
            return data
        policy, problems = policy_from_document(data["rules"])
        problems = [replace(p, field="rules") for p in problems]
        if policy is not None:
            problems += [
                replace(p, field="rules", message=f"{p.field}: {p.message}")
                for p in policy_problems(policy, catalog=shipped_catalog(), on=start)
            ]
            data["rules"] = policy_document(policy)
        end = data.get("effective_to")
        problems += version_dates_problems(start, end)
        own = self.instance.pk
        others = [s for s in rule_set_spans(payer_pk=payer.pk) if s.rule_set_id != own]
        problems += version_overlap_problems(
            VersionSpan(rule_set_id=own, effective_from=start, effective_to=end), others
        )
        raise_problems(self, problems)
        return data


@admin.register(PayerRuleSet)
class PayerRuleSetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = PayerRuleSetAdminForm
    list_display = ("payer", "effective_from", "effective_to", "created_by", "updated_at")
    list_filter = ("payer__kind",)
    list_select_related = ("payer", "created_by")
    search_fields = ("payer__name",)
    readonly_fields = ("created_by",)

    def save_model(self, request: Any, obj: PayerRuleSet, form: Any, change: bool) -> None:
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
