"""Forms for the charge screens (list filters, a line's override) and the claim screens (list
filters, the ticked claims of a batch). They check shape only; the
services decide what is valid (unknown codes, negative units, pointers, the reason)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms

from claims.domain.types import CHARGE_STATUS_LABELS, ChargeStatus
from claims.models import ClaimStatus
from claims.selectors.claim_screens import AGE_BUCKETS

SELF_PAY = "self_pay"
_SPLIT = re.compile(r"[\s,;]+")


class ChargeFilterForm(forms.Form):
    status = forms.ChoiceField(required=False)
    has_errors = forms.ChoiceField(
        required=False,
        choices=[("", "Any"), ("yes", "With errors"), ("no", "Without errors")],
        label="Findings",
    )
    payer = forms.ChoiceField(required=False)
    provider = forms.ChoiceField(required=False, label="Rendering provider")
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    # Set by the home page's links ("on hold: authorization missing", "filing deadline near").
    reason = forms.SlugField(required=False, max_length=40, widget=forms.HiddenInput)
    filing_due = forms.IntegerField(required=False, min_value=0, max_value=366, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        payer_choices: list[tuple[int, str]],
        provider_choices: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._choices(
            "status", [("", "Any status")] + [(s.value, CHARGE_STATUS_LABELS[s]) for s in ChargeStatus]
        )
        self._choices(
            "payer",
            [("", "Any payer"), (SELF_PAY, "Self-pay")] + [(str(pk), name) for pk, name in payer_choices],
        )
        self._choices("provider", [("", "Anyone")] + [(str(pk), name) for pk, name in provider_choices])

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date cannot be before the start date.")
        return data


class ChargeOverrideForm(forms.Form):
    code = forms.CharField(max_length=5, label="Code")
    units = forms.IntegerField(label="Units", help_text="0 drops the line from the claim")
    modifiers = forms.CharField(required=False, max_length=40, label="Modifiers", help_text="e.g. HO, 95")
    pos = forms.CharField(max_length=2, label="Place of service")
    diagnosis_pointers = forms.CharField(
        required=False, max_length=20, label="Diagnosis pointers", help_text="e.g. 1, 2"
    )
    reason = forms.CharField(
        required=False,
        max_length=500,
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required: it is recorded with your name and the time.",
    )

    def clean_modifiers(self) -> list[str]:
        raw = self.cleaned_data.get("modifiers") or ""
        return [m.upper() for m in _SPLIT.split(raw.strip()) if m]

    def clean_diagnosis_pointers(self) -> list[int]:
        raw = self.cleaned_data.get("diagnosis_pointers") or ""
        parts = [p for p in _SPLIT.split(raw.strip()) if p]
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError("Pointers are diagnosis numbers, like 1, 2.")
        return [int(p) for p in parts]


class ChargeLineAddForm(ChargeOverrideForm):
    """A line a biller adds (the same fields as a change; at least 1 unit)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].help_text = "At least 1"
        self.fields["reason"].label = "Reason for adding the line"


def override_initial(line: Any) -> dict[str, Any]:
    return {
        "code": line.code,
        "units": line.units,
        "modifiers": ", ".join(line.modifiers),
        "pos": line.place_of_service,
        "diagnosis_pointers": ", ".join(str(p) for p in line.diagnosis_pointers),
        "reason": "",
    }


# ---- claim screens -------------------------------------------------------------------------------


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
