"""Forms for the practice screens: shape only. The services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from practice.domain.credentials import CREDENTIAL_LABELS, Credential
from practice.domain.place_of_service import PLACES_OF_SERVICE

CREDENTIAL_CHOICES = [(c.value, f"{c.value} · {CREDENTIAL_LABELS[c]}") for c in Credential]
POS_CHOICES = [(code, f"{code} · {label}") for code, label in PLACES_OF_SERVICE.items()]


class DateInput(forms.DateInput):
    input_type = "date"


class ProviderForm(forms.Form):
    first_name = forms.CharField(max_length=60)
    last_name = forms.CharField(max_length=60)
    credential = forms.ChoiceField(choices=CREDENTIAL_CHOICES)
    npi = forms.CharField(
        label="NPI", max_length=20, required=False, help_text="10 digits; technicians may leave it blank."
    )
    taxonomy_code = forms.CharField(max_length=20, required=False, help_text="e.g. 101YP2500X")


class ProviderEditForm(ProviderForm):
    is_active = forms.BooleanField(label="Active", required=False)


class LicenseForm(forms.Form):
    number = forms.CharField(max_length=40)
    state = forms.CharField(max_length=2, help_text="Two letters, as IL")
    kind = forms.CharField(max_length=60, required=False, help_text="e.g. LPC, BCBA certification")
    issued_on = forms.DateField(required=False, widget=DateInput)
    expires_on = forms.DateField(widget=DateInput)


class LicenseRenewForm(forms.Form):
    expires_on = forms.DateField(label="New expiry date", widget=DateInput)


class SupervisionForm(forms.Form):
    supervisor_id = forms.TypedChoiceField(label="Supervisor", coerce=int, choices=())
    starts_on = forms.DateField(widget=DateInput)
    ends_on = forms.DateField(required=False, widget=DateInput)

    def __init__(self, *args: Any, supervisor_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor_id"].choices = supervisor_choices  # type: ignore[attr-defined]


class SupervisionEndForm(forms.Form):
    ends_on = forms.DateField(widget=DateInput)


class PracticeForm(forms.Form):
    legal_name = forms.CharField(max_length=200)
    tax_id = forms.CharField(label="Tax ID (EIN)", max_length=12, help_text="As 12-3456789")
    billing_npi = forms.CharField(label="Billing NPI", max_length=20)
    taxonomy_code = forms.CharField(max_length=20, required=False)
    address_line1 = forms.CharField(label="Street address", max_length=100, help_text="Not a PO box")
    address_line2 = forms.CharField(max_length=100, required=False)
    city = forms.CharField(max_length=60)
    state = forms.CharField(max_length=2)
    postal_code = forms.CharField(label="ZIP code", max_length=10)
    phone = forms.CharField(max_length=20, required=False)
    timezone = forms.CharField(label="Time zone", max_length=64, help_text="IANA name, as America/Chicago")


class LocationForm(forms.Form):
    name = forms.CharField(max_length=120)
    address_line1 = forms.CharField(label="Street address", max_length=100, help_text="Not a PO box")
    address_line2 = forms.CharField(max_length=100, required=False)
    city = forms.CharField(max_length=60)
    state = forms.CharField(max_length=2)
    postal_code = forms.CharField(label="ZIP code", max_length=10)
    npi = forms.CharField(label="Facility NPI", max_length=20, required=False)
    default_place_of_service = forms.ChoiceField(choices=POS_CHOICES, initial="11")


class LocationEditForm(LocationForm):
    is_active = forms.BooleanField(label="Active", required=False)
