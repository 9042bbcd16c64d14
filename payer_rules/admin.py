"""Django admin for payer rules. The form runs the same pure rules as the rule-set services."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django import forms
from django.contrib import admin

from coding.domain.code_sets import shipped_catalog
from payer_rules.domain.policy import (
    VersionSpan,
    policy_document,
    policy_from_document,
    version_dates_problems,
    version_overlap_problems,
)
from payer_rules.domain.policy_checks import policy_problems
from payer_rules.models import PayerRuleSet
from payer_rules.selectors import rule_set_spans
from practice.admin import raise_problems


class PayerRuleSetAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """The rules document as JSON, checked by the same pure rules as the rule-set services.

    Unlike the screens, the admin does not end the previous open-ended version for you: set its
    end date first (the overlap check says which one).
    """

    class Meta:
        model = PayerRuleSet
        fields = ("payer", "effective_from", "effective_to", "rules", "notes")
        help_texts = {"rules": "JSON document; see payer_rules/domain/policy.py for every key."}

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
