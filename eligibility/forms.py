"""The practice's eligibility settings form: its clearinghouse and the morning batch's rules."""

from __future__ import annotations

from typing import Any

from django import forms

DAYS_AHEAD_MAX = 30
REVERIFY_MAX = 365
GAP_MAX = 730


class EligibilitySettingsForm(forms.Form):
    clearinghouse = forms.ChoiceField(required=False, choices=())
    days_ahead = forms.IntegerField(
        label="Verify appointments in the next",
        min_value=0,
        max_value=DAYS_AHEAD_MAX,
        help_text="days (0: today's only)",
    )
    reverify_after_days = forms.IntegerField(
        label="Verify again when the last check is older than",
        min_value=1,
        max_value=REVERIFY_MAX,
        help_text="days",
    )
    appointment_gap_days = forms.IntegerField(
        label="Verify again when the patient returns after",
        min_value=1,
        max_value=GAP_MAX,
        help_text="days without a visit",
    )

    def __init__(self, *args: Any, clearinghouse_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clearinghouse"].choices = clearinghouse_choices  # type: ignore[attr-defined]
