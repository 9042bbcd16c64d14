"""The compliance viewer's filter form (GET parameters): shape and format only."""

from __future__ import annotations

from typing import Any

from django import forms

from audit.domain.categories import Category
from audit.domain.readable import sentence
from audit.models import AuditEvent
from audit.selectors import AuditEventFilters


def _choices(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", "Any"), *pairs]


class AuditEventFilterForm(forms.Form):
    user = forms.CharField(required=False, max_length=150, label="User")
    patient = forms.CharField(required=False, max_length=100, label="Patient name or account")
    patient_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    category = forms.ChoiceField(
        required=False, choices=_choices([(c.value, sentence(c.value)) for c in Category])
    )
    action = forms.ChoiceField(required=False, choices=_choices(list(AuditEvent.Action.choices)))
    outcome = forms.ChoiceField(required=False, choices=_choices(list(AuditEvent.Outcome.choices)))
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned

    def filters(self) -> AuditEventFilters:
        data = self.cleaned_data
        return AuditEventFilters(
            username=data.get("user") or "",
            patient_id=data.get("patient_id"),
            category=data.get("category") or "",
            action=data.get("action") or "",
            outcome=data.get("outcome") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
