"""Forms of the patient-billing screens (amounts in dollars; services take cents)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms

from ledger.models import PatientPayment


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        min_value=Decimal("0.01"), max_digits=10, decimal_places=2, label="Amount ($)"
    )
    method = forms.ChoiceField(choices=PatientPayment.Method.choices)
    reference = forms.CharField(max_length=50, required=False, help_text="Check number or card receipt")
    received_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Received on")
    claim = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label="Apply to",
        help_text="Leave empty to keep it as a credit",
    )
    at_time_of_service = forms.BooleanField(required=False, label="Collected at the visit (copay)")

    def __init__(self, *args: Any, claim_choices: Sequence[tuple[int | str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["claim"].choices = [("", "Keep as a credit"), *claim_choices]  # type: ignore[attr-defined]


class ApplyCreditForm(forms.Form):
    claim = forms.TypedChoiceField(coerce=int, label="Visit")

    def __init__(self, *args: Any, claim_choices: Sequence[tuple[int | str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["claim"].choices = claim_choices  # type: ignore[attr-defined]


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        min_value=Decimal("0.01"), max_digits=10, decimal_places=2, label="Refund ($)"
    )
    reason = forms.CharField(max_length=150, min_length=5, help_text="Why (kept with the refund)")


class StatementForm(forms.Form):
    statement_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Statement date")
