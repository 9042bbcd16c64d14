"""Forms of the denial screens: shape and format only (the services hold the rules)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from denials.domain.table import denial_table
from denials.domain.workflow import Outcome
from denials.selectors import OUTCOME_LABELS, STATUS_LABELS

STATUS_CHOICES = [
    ("working", "Being worked"),
    ("all", "All"),
    *((s.value, label) for s, label in STATUS_LABELS.items()),
]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    category = forms.ChoiceField(required=False)
    payer = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    provider = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Rendering provider"
    )
    code = forms.CharField(max_length=8, required=False, label="Code (CARC)")
    min_age = forms.IntegerField(min_value=0, max_value=3650, required=False, label="At least days old")
    min_amount = forms.DecimalField(
        min_value=Decimal(0), decimal_places=2, required=False, label="Amount from $"
    )
    max_amount = forms.DecimalField(
        min_value=Decimal(0), decimal_places=2, required=False, label="Amount to $"
    )
    mine = forms.BooleanField(required=False, label="Assigned to me")

    def __init__(
        self,
        *args: Any,
        payer_choices: list[tuple[int, str]],
        provider_choices: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Any"), *denial_table().categories.items()]  # type: ignore[attr-defined]
        self.fields["payer"].choices = [("", "Any"), *payer_choices]  # type: ignore[attr-defined]
        self.fields["provider"].choices = [("", "Any"), *provider_choices]  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(o.value, OUTCOME_LABELS[o]) for o in Outcome if o is not Outcome.PENDING]
    )
    recovered = forms.DecimalField(min_value=Decimal(0), decimal_places=2, label="Amount recovered ($)")
    outcome_on = forms.DateField(label="Decided on", widget=forms.DateInput(attrs={"type": "date"}))


class SubmittedForm(forms.Form):
    submitted_on = forms.DateField(label="Sent on", widget=forms.DateInput(attrs={"type": "date"}))


class AnalyticsForm(forms.Form):
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From")
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To")
