"""Forms for the schedule screens: shape only; the services apply the rules.

Times are entered as a date, a start time and an end time in the practice's time zone; an end
time not later than the start means the next day (23:30–00:30).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms

from core.domain.service_types import service_type_choices
from scheduling.domain.times import end_wall_clock
from scheduling.models import Telehealth

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
END_HELP = "An end time not later than the start means the next day (23:30 to 00:30)."

# Service fields' names in the services → the form fields that show their errors.
SERVICE_FIELDS = {
    "starts_at": "start_time",
    "ends_at": "end_time",
}


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class WallTimesMixin:
    """`date` + `start_time` + `end_time` → naive wall-clock start and end."""

    cleaned_data: dict[str, Any]

    def wall_times(self) -> tuple[dt.datetime, dt.datetime]:
        start = dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["start_time"])
        end_time: dt.time = self.cleaned_data["end_time"]
        return start, end_wall_clock(start, end_time.hour, end_time.minute)


class FilterForm(forms.Form):
    """The day/week screens' GET filters (invalid values fall back to defaults)."""

    provider = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    location = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    date = forms.DateField(required=False, widget=DATE)

    def __init__(
        self, data: Any, *, providers: list[tuple[int, str]], locations: list[tuple[int, str]]
    ) -> None:
        super().__init__(data)
        _choice_field(self, "provider").choices = [("", "All providers"), *providers]
        _choice_field(self, "location").choices = [("", "All locations"), *locations]


class AppointmentForm(WallTimesMixin, forms.Form):
    patient_id = forms.TypedChoiceField(label="Patient", coerce=int)
    provider_id = forms.TypedChoiceField(label="Rendering provider", coerce=int)
    service_type = forms.ChoiceField(choices=service_type_choices())
    date = forms.DateField(widget=DATE)
    start_time = forms.TimeField(widget=TIME)
    end_time = forms.TimeField(widget=TIME, help_text=END_HELP)
    location_id = forms.TypedChoiceField(
        label="Location", coerce=int, required=False, empty_value=None, help_text="Required in person."
    )
    telehealth = forms.ChoiceField(choices=Telehealth.choices, required=False)
    patient_at_home = forms.BooleanField(
        label="Telehealth: the patient is at home (place of service 10, otherwise 02)", required=False
    )

    def __init__(
        self,
        data: Any = None,
        *,
        patients: list[tuple[int, str]],
        providers: list[tuple[int, str]],
        locations: list[tuple[int, str]],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        _choice_field(self, "patient_id").choices = [("", "Choose a patient"), *patients]
        _choice_field(self, "provider_id").choices = [("", "Choose a provider"), *providers]
        _choice_field(self, "location_id").choices = [("", "No location (telehealth)"), *locations]


class RescheduleForm(WallTimesMixin, forms.Form):
    date = forms.DateField(widget=DATE)
    start_time = forms.TimeField(widget=TIME)
    end_time = forms.TimeField(widget=TIME, help_text=END_HELP)
    provider_id = forms.TypedChoiceField(label="Rendering provider", coerce=int)
    location_id = forms.TypedChoiceField(label="Location", coerce=int, required=False, empty_value=None)

    def __init__(
        self,
        data: Any = None,
        *,
        providers: list[tuple[int, str]],
        locations: list[tuple[int, str]],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        _choice_field(self, "provider_id").choices = providers
        _choice_field(self, "location_id").choices = [("", "Keep the current location"), *locations]


class StatusForm(forms.Form):
    status = forms.CharField(max_length=16)
    reason = forms.CharField(max_length=200, required=False)


class GroupSessionForm(WallTimesMixin, forms.Form):
    title = forms.CharField(max_length=120)
    provider_id = forms.TypedChoiceField(label="Group leader (rendering provider)", coerce=int)
    service_type = forms.ChoiceField(choices=service_type_choices(), initial="group_psychotherapy")
    date = forms.DateField(widget=DATE)
    start_time = forms.TimeField(widget=TIME)
    end_time = forms.TimeField(widget=TIME, help_text=END_HELP)
    location_id = forms.TypedChoiceField(label="Location", coerce=int, required=False, empty_value=None)
    telehealth = forms.ChoiceField(choices=Telehealth.choices, required=False)
    patient_ids = forms.TypedMultipleChoiceField(
        label="Roster", coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(
        self,
        data: Any = None,
        *,
        patients: list[tuple[int, str]],
        providers: list[tuple[int, str]],
        locations: list[tuple[int, str]],
    ) -> None:
        super().__init__(data)
        _choice_field(self, "provider_id").choices = [("", "Choose a provider"), *providers]
        _choice_field(self, "location_id").choices = [("", "No location (telehealth)"), *locations]
        _choice_field(self, "patient_ids").choices = patients


class RosterAddForm(forms.Form):
    patient_id = forms.TypedChoiceField(label="Add a patient", coerce=int)

    def __init__(self, data: Any = None, *, patients: list[tuple[int, str]]) -> None:
        super().__init__(data)
        _choice_field(self, "patient_id").choices = [("", "Choose a patient"), *patients]


class RosterRemoveForm(forms.Form):
    patient_id = forms.IntegerField()
    reason = forms.CharField(max_length=200, required=False)
