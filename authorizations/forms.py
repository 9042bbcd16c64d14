"""Forms for the prior-authorization screens: shape only. The services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from authorizations.domain.rules import caps_from_text, codes_from_text
from authorizations.domain.types import CapDetails
from authorizations.selectors import SETTABLE_STATUS_CHOICES, STATUS_CHOICES, UNIT_KIND_CHOICES


class DateInput(forms.DateInput):
    input_type = "date"


class AuthorizationEditForm(forms.Form):
    number = forms.CharField(label="Authorization number", max_length=30)
    codes = forms.CharField(max_length=200, help_text="The authorized codes, comma separated (97153, 97155).")
    unit_kind = forms.ChoiceField(label="Counted in", choices=UNIT_KIND_CHOICES)
    authorized = forms.IntegerField(label="Authorized units or visits", min_value=1)
    caps = forms.CharField(
        label="Caps per code or group",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional, one a line: the codes, a colon and the most units (or visits) for them "
        "together, within the total. For example 97155: 24, or 97156, 97158: 12.",
    )
    start_on = forms.DateField(label="From", widget=DateInput)
    end_on = forms.DateField(label="Until", widget=DateInput)
    rendering_provider_id = forms.TypedChoiceField(
        label="Rendering provider", coerce=int, required=False, empty_value=None, choices=()
    )
    notes = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    status = forms.ChoiceField(choices=SETTABLE_STATUS_CHOICES, initial="active")

    def __init__(self, *args: Any, provider_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rendering_provider_id"].choices = [("", "Any provider"), *provider_choices]  # type: ignore[attr-defined]

    def clean_codes(self) -> tuple[str, ...]:
        return codes_from_text(self.cleaned_data["codes"])

    def clean_caps(self) -> tuple[CapDetails, ...]:
        caps, problems = caps_from_text(self.cleaned_data["caps"])
        if problems:
            raise forms.ValidationError([p.message for p in problems])
        return caps


class AuthorizationForm(AuthorizationEditForm):
    patient_id = forms.TypedChoiceField(label="Patient", coerce=int, choices=())
    payer_id = forms.TypedChoiceField(label="Payer", coerce=int, choices=())

    field_order = [
        "patient_id",
        "payer_id",
        "number",
        "codes",
        "unit_kind",
        "authorized",
        "caps",
        "start_on",
        "end_on",
    ]

    def __init__(
        self,
        *args: Any,
        patient_choices: list[tuple[int, str]],
        payer_choices: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("status")
        self.fields["patient_id"].choices = patient_choices  # type: ignore[attr-defined]
        self.fields["payer_id"].choices = payer_choices  # type: ignore[attr-defined]


class FilterForm(forms.Form):
    patient = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, choices=())
    payer = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, choices=())
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *STATUS_CHOICES])
    alerting = forms.BooleanField(label="Only with alerts", required=False)

    def __init__(
        self,
        *args: Any,
        patient_choices: list[tuple[int, str]],
        payer_choices: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["patient"].choices = [("", "Any patient"), *patient_choices]  # type: ignore[attr-defined]
        self.fields["payer"].choices = [("", "Any payer"), *payer_choices]  # type: ignore[attr-defined]
