"""Forms for the fee, estimate and Good Faith Estimate screens: shape only; the services decide."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms

from claims.services import FeeKind
from estimates.domain.good_faith import CoProviderInput, parse_co_providers
from estimates.services import GfeItemInput

KIND_CHOICES = [
    (FeeKind.ALLOWED.value, "Contracted (allowed) amounts"),
    (FeeKind.BILLED.value, "Billed fees"),
]
MAX_UPLOAD_BYTES = 2_000_000
_ITEM = re.compile(r"(?P<code>[A-Za-z0-9]{5})(?:\s*[x×]\s*(?P<quantity>\d{1,3}))?")


class DateInput(forms.DateInput):
    input_type = "date"


class AllowedAmountForm(forms.Form):
    payer_id = forms.TypedChoiceField(label="Payer", coerce=int, choices=())
    code = forms.CharField(label="Code", max_length=5)
    modifiers = forms.CharField(
        label="Modifiers", max_length=20, required=False, help_text="Space separated, e.g. HO 95"
    )
    amount = forms.DecimalField(
        label="Allowed amount ($)", min_value=Decimal("0"), max_digits=9, decimal_places=2
    )
    effective_from = forms.DateField(label="From", widget=DateInput)
    effective_to = forms.DateField(label="Until", widget=DateInput, required=False)

    def __init__(self, *args: Any, payer_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["payer_id"].choices = payer_choices  # type: ignore[attr-defined]

    def clean_modifiers(self) -> tuple[str, ...]:
        return tuple(m for m in re.split(r"[\s,\-]+", self.cleaned_data["modifiers"].upper()) if m)


class FeeImportForm(forms.Form):
    kind = forms.ChoiceField(label="What the file holds", choices=KIND_CHOICES)
    payer_id = forms.TypedChoiceField(
        label="Payer", coerce=int, required=False, empty_value=None, choices=(),
        help_text="Required for contracted amounts; leave empty for the default (self-pay) billed fees.",
    )  # fmt: skip
    file = forms.FileField(
        label="CSV file", help_text="Columns: code, modifiers, amount, effective_from, effective_to"
    )

    def __init__(self, *args: Any, payer_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["payer_id"].choices = [("", "No payer (default fees)"), *payer_choices]  # type: ignore[attr-defined]

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB.")
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise forms.ValidationError("The file is not UTF-8 text (save it as CSV UTF-8).") from error


class GoodFaithEstimateForm(forms.Form):
    patient_id = forms.TypedChoiceField(label="Patient", coerce=int, choices=())
    provider_id = forms.TypedChoiceField(label="Provider", coerce=int, choices=())
    service_description = forms.CharField(label="Primary service", max_length=200)
    items = forms.CharField(
        label="Expected services",
        max_length=300,
        help_text="Codes with how many, comma separated: 90791, 90834 x 12",
    )
    scheduled_on = forms.DateField(label="Scheduled on", widget=DateInput, required=False)
    service_on = forms.DateField(label="Date of service", widget=DateInput, required=False)
    requested_on = forms.DateField(label="Patient asked on", widget=DateInput, required=False)
    location_id = forms.TypedChoiceField(
        label="Location", coerce=int, choices=(), required=False, empty_value=None,
        help_text="Where the service is given (blank: the practice's address)",
    )  # fmt: skip
    co_providers = forms.CharField(
        label="Co-providers and co-facilities",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, with the charges they gave: provider | Name | NPI | TIN | location | "
        "90792 x 1 @ 250.00; 96127 x 2 @ 10.00",
    )

    def __init__(
        self,
        *args: Any,
        patient_choices: list[tuple[int, str]],
        provider_choices: list[tuple[int, str]],
        location_choices: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["patient_id"].choices = patient_choices  # type: ignore[attr-defined]
        self.fields["provider_id"].choices = provider_choices  # type: ignore[attr-defined]
        self.fields["location_id"].choices = [("", "The practice's address"), *(location_choices or [])]  # type: ignore[attr-defined]

    def clean_co_providers(self) -> list[CoProviderInput]:
        parties, problems = parse_co_providers(self.cleaned_data["co_providers"])
        if problems:
            raise forms.ValidationError(problems)
        return parties

    def clean_items(self) -> list[GfeItemInput]:
        items = []
        for part in (p.strip() for p in self.cleaned_data["items"].split(",")):
            if not part:
                continue
            match = _ITEM.fullmatch(part)
            if match is None:
                raise forms.ValidationError(f"{part!r} is not a code with an optional count (90834 x 12).")
            items.append(GfeItemInput(match["code"].upper(), int(match["quantity"] or 1)))
        if not items:
            raise forms.ValidationError("List at least one expected service.")
        return items
