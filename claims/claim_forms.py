"""Forms for the claim screens: the list's filters and the batch submission's ticked claims.
Shape only: the selectors and services decide what is valid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from claims.models import ClaimStatus
from claims.selectors.claim_screens import AGE_BUCKETS


class ClaimFilterForm(forms.Form):
    status = forms.ChoiceField(required=False)
    payer = forms.ChoiceField(required=False)
    provider = forms.ChoiceField(required=False, label="Rendering provider")
    age = forms.ChoiceField(required=False, label="Age (days since service)")
    min_amount = forms.DecimalField(
        required=False, min_value=Decimal(0), max_digits=10, decimal_places=2, label="Amount from ($)"
    )
    max_amount = forms.DecimalField(
        required=False, min_value=Decimal(0), max_digits=10, decimal_places=2, label="Amount to ($)"
    )

    def __init__(
        self,
        *args: Any,
        payer_choices: list[tuple[int, str]],
        provider_choices: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._choices("status", [("", "Any status")] + [(s.value, str(s.label)) for s in ClaimStatus])
        self._choices("payer", [("", "Any payer")] + [(str(pk), name) for pk, name in payer_choices])
        self._choices("provider", [("", "Anyone")] + [(str(pk), name) for pk, name in provider_choices])
        self._choices("age", [("", "Any age")] + [(key, f"{key} days") for key in AGE_BUCKETS])

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_amount"), data.get("max_amount")
        if low is not None and high is not None and high < low:
            self.add_error("max_amount", "The maximum cannot be below the minimum.")
        return data


class BatchSubmitForm(forms.Form):
    claim_ids = forms.TypedMultipleChoiceField(coerce=int, label="Claims")

    def __init__(self, *args: Any, claim_choices: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["claim_ids"]
        assert isinstance(field, forms.TypedMultipleChoiceField)  # noqa: S101 - declared above
        field.choices = [(str(pk), str(pk)) for pk in claim_choices]
        field.error_messages["required"] = "Tick at least one ready claim."
        field.error_messages["invalid_choice"] = "A ticked claim is no longer ready: reload the page."
