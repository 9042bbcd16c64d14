"""Forms for the payer screens: shape only. The services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from payers.selectors import (
    CLAIM_FILING_INDICATOR_CHOICES,
    ENROLLMENT_STATUS_CHOICES,
    ERA_ENROLLMENT_CHOICES,
    KIND_CHOICES,
)


class DateInput(forms.DateInput):
    input_type = "date"


class PayerForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=KIND_CHOICES)
    payer_id = forms.CharField(
        label="Electronic payer ID",
        max_length=20,
        required=False,
        help_text="2 to 10 letters or digits; leave blank for self-pay.",
    )
    claim_filing_indicator = forms.ChoiceField(choices=CLAIM_FILING_INDICATOR_CHOICES, initial="CI")
    address_line1 = forms.CharField(label="Claims address", max_length=100, required=False)
    address_line2 = forms.CharField(max_length=100, required=False)
    city = forms.CharField(max_length=60, required=False)
    state = forms.CharField(max_length=2, required=False)
    postal_code = forms.CharField(label="ZIP code", max_length=10, required=False)
    phone = forms.CharField(max_length=20, required=False)
    timely_filing_days = forms.IntegerField(initial=90, help_text="Days after the date of service")
    appeal_window_days = forms.IntegerField(initial=180, help_text="Days after the denial")


class PayerEditForm(PayerForm):
    is_active = forms.BooleanField(label="Active", required=False)
    era_enrollment = forms.ChoiceField(
        label="ERA (835) enrolment",
        choices=ERA_ENROLLMENT_CHOICES,
        required=False,
        help_text="Whether this practice receives the payer's ERAs electronically.",
    )
    era_enrolled_on = forms.DateField(label="ERA enrolment effective", required=False, widget=DateInput)


class EnrollmentForm(forms.Form):
    provider_id = forms.TypedChoiceField(label="Provider", coerce=int, choices=())
    payer = forms.TypedChoiceField(label="Payer", coerce=int, choices=())
    status = forms.ChoiceField(choices=ENROLLMENT_STATUS_CHOICES)
    effective_on = forms.DateField(required=False, widget=DateInput)
    ends_on = forms.DateField(required=False, widget=DateInput)
    payer_provider_id = forms.CharField(label="Payer's provider ID", max_length=30, required=False)

    def __init__(
        self,
        *args: Any,
        provider_choices: list[tuple[int, str]],
        payer_choices: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider_id"].choices = provider_choices  # type: ignore[attr-defined]
        self.fields["payer"].choices = payer_choices  # type: ignore[attr-defined]
