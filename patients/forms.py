"""Forms for the patient screens: shape and types only.

Nothing is `required` here: the services' rules say what is missing, with the same messages the
API gives. Forms only turn text into dates, numbers and choices.
"""

from __future__ import annotations

from typing import Any

from django import forms

from patients.domain.types import (
    CONSENT_KIND_CHOICES,
    GUARANTOR_RELATIONSHIP_CHOICES,
    PRIORITY_CHOICES,
    SEX_CHOICES,
    SUBSCRIBER_RELATIONSHIP_CHOICES,
)

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y"]


def _date(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


def _text(label: str, max_length: int, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, **kwargs)


def _blank_first(choices: tuple[tuple[Any, str], ...], blank: str = "—") -> list[tuple[Any, str]]:
    return [("", blank), *choices]


class PatientSearchForm(forms.Form):
    q = _text("Name", 120, widget=forms.TextInput(attrs={"placeholder": "Last, first or any name"}))
    dob = _text(
        "Date of birth", 10, widget=forms.TextInput(attrs={"placeholder": "YYYY-MM-DD or MM/DD/YYYY"})
    )
    member_id = _text("Member ID", 30)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class PatientForm(forms.Form):
    first_name = _text("First name", 60)
    middle_name = _text("Middle name", 60)
    last_name = _text("Last name", 60)
    preferred_name = _text("Preferred name", 60)
    date_of_birth = _date("Date of birth")
    sex = forms.ChoiceField(label="Sex", choices=_blank_first(SEX_CHOICES), required=False)
    address_line1 = _text("Street address", 100)
    address_line2 = _text("Address line 2", 100)
    city = _text("City", 60)
    state = _text("State", 2, widget=forms.TextInput(attrs={"size": 2, "placeholder": "IL"}))
    postal_code = _text("ZIP code", 10)
    phone = _text("Phone", 20)
    email = forms.EmailField(label="Email", required=False)
    account_number = _text("Account number", 20, help_text="Leave blank to assign the next number (P000123).")
    is_substance_use_program = forms.BooleanField(
        label="Treated in a 42 CFR Part 2 substance-use program", required=False
    )


class PatientEditForm(PatientForm):
    is_active = forms.BooleanField(label="Active patient", required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["account_number"].help_text = ""


class GuarantorForm(forms.Form):
    relationship = forms.ChoiceField(
        label="Guarantor is", choices=GUARANTOR_RELATIONSHIP_CHOICES, required=False, initial="self"
    )
    first_name = _text("Guarantor's first name", 60)
    last_name = _text("Guarantor's last name", 60)
    date_of_birth = _date("Guarantor's date of birth")
    address_line1 = _text("Street address", 100)
    address_line2 = _text("Address line 2", 100)
    city = _text("City", 60)
    state = _text("State", 2)
    postal_code = _text("ZIP code", 10)
    phone = _text("Phone", 20)
    email = forms.EmailField(label="Email", required=False)


class CoverageForm(forms.Form):
    payer = forms.TypedChoiceField(label="Payer", coerce=int, empty_value=None, required=False)
    member_id = _text("Member ID", 30)
    group_number = _text("Group number", 30)
    plan_name = _text("Plan name", 80)
    priority = forms.TypedChoiceField(
        label="Priority", choices=PRIORITY_CHOICES, coerce=int, required=False, initial=1, empty_value=None
    )
    effective_on = _date("Effective on")
    terminates_on = _date("Terminates on", help_text="Leave blank while the coverage continues.")
    subscriber_relationship = forms.ChoiceField(
        label="Patient's relationship to the subscriber",
        choices=SUBSCRIBER_RELATIONSHIP_CHOICES,
        required=False,
        initial="18",
    )
    subscriber_first_name = _text("Subscriber's first name", 60)
    subscriber_last_name = _text("Subscriber's last name", 60)
    subscriber_date_of_birth = _date("Subscriber's date of birth")
    subscriber_sex = forms.ChoiceField(
        label="Subscriber's sex", choices=_blank_first(SEX_CHOICES), required=False
    )

    def __init__(self, *args: Any, payer_choices: list[tuple[int, str]], blank_label: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["payer"].choices = [("", blank_label), *payer_choices]  # type: ignore[attr-defined]

    def is_blank(self) -> bool:
        """Nothing typed that names a coverage (the create page's coverage part is optional)."""
        data = self.cleaned_data
        return not (
            data.get("payer") or data.get("member_id") or data.get("group_number") or data.get("effective_on")
        )


class DiagnosisForm(forms.Form):
    code = _text("ICD-10-CM code", 10, widget=forms.TextInput(attrs={"placeholder": "F41.1"}))
    description = _text("Description", 250)
    onset_on = _date("Onset")
    rank = forms.IntegerField(label="Rank (1 = primary)", required=False, initial=1, min_value=1)


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(label="Consent", choices=_blank_first(CONSENT_KIND_CHOICES), required=False)
    signed_on = _date("Signed on")
    expires_on = _date("Expires on", help_text="Blank when it does not expire.")
    recipient = _text("Recipient", 200, help_text="Who may receive the information")
    purpose = _text("Purpose", 200)


class DateActionForm(forms.Form):
    """One date: terminate a coverage, resolve a diagnosis, revoke a consent."""

    on = _date("Date")


class CareTeamForm(forms.Form):
    provider = forms.TypedChoiceField(label="Provider", coerce=int, empty_value=None, required=False)
    starts_on = _date("Starts on")
    ends_on = _date("Ends on")

    def __init__(self, *args: Any, provider_choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Choose a provider"), *provider_choices]  # type: ignore[attr-defined]
