"""Forms for the payer-rules screens: one form (or formset) per rule group, shape only.

`RuleSetForms` bundles them: it builds the rules document the service checks
(`payer_rules.services`), fills itself from a stored document (a new version starts as a copy),
and puts the service's field errors (`prior_auth[0].codes`, `coding.max_units_per_day.97153`, ...)
back on the row and field they are about.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory

from coding.domain.crosswalk import crosswalk_allowed
from coding.domain.types import EVALUATION_REPEAT_MAX_DAYS, Telehealth, TelehealthPos, UnitRule
from core.domain.service_types import ServiceType, service_type_choices
from payer_rules.domain.policy import (
    BILLING_FREQUENCY_LABELS,
    RENDERING_BILLING_LABELS,
    BillingFrequency,
    RenderingBilling,
    ReplacementLines,
    SecondaryFilingFrom,
)
from payer_rules.domain.policy_checks import AUDIO_ONLY_MODIFIERS, DISTINCT_MODIFIERS, VIDEO_MODIFIERS
from payer_rules.domain.same_day import SAME_DAY_SEVERITY_LABELS, default_same_day_rules
from practice.domain.credentials import Credential

_SPLIT = re.compile(r"[\s,;]+")
CREDENTIAL_HELP = "Separate with commas: " + ", ".join(c.value for c in Credential)


class DateInput(forms.DateInput):
    input_type = "date"


def split_list(raw: str) -> list[str]:
    return [part for part in _SPLIT.split(raw.strip()) if part]


def joined(values: Sequence[str]) -> str:
    return ", ".join(values)


def crosswalk_service_choices() -> list[tuple[str, str]]:
    """The services a crosswalk can map (those billed with one code), in plain words, after a blank
    choice: an untouched extra row then submits nothing and is skipped, not refused."""
    return [("", "Choose a service")] + [
        (value, label) for value, label in service_type_choices() if crosswalk_allowed(ServiceType(value))
    ]


def _modifier_choices(values: Sequence[str]) -> list[tuple[str, str]]:
    return [(v, v or "None") for v in values]


UNIT_RULE_CHOICES = [
    (UnitRule.CPT_MIDPOINT.value, "CPT midpoint rule (each code's own minutes)"),
    (UnitRule.CMS_8_MINUTE.value, "CMS 8-minute rule (the day's timed minutes together)"),
]
TELEHEALTH_POS_CHOICES = [
    (TelehealthPos.TELEHEALTH_POS.value, "POS 10 at home, 02 elsewhere"),
    (TelehealthPos.ALWAYS_02.value, "Always POS 02"),
    (TelehealthPos.IN_PERSON_POS.value, "The in-person place of service (e.g. 11)"),
]
RENDERING_CHOICES = [(b.value, RENDERING_BILLING_LABELS[b]) for b in RenderingBilling]
FREQUENCY_CHOICES = [(f.value, BILLING_FREQUENCY_LABELS[f]) for f in BillingFrequency]
SEVERITY_CHOICES = [("warning", "Warning"), ("error", "Error (blocks the claim)")]


class VersionForm(forms.Form):
    effective_from = forms.DateField(label="In force from", widget=DateInput)
    effective_to = forms.DateField(
        label="Until", required=False, widget=DateInput, help_text="Blank: until a later version starts."
    )
    notes = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class RevisionForm(forms.Form):
    """The version part of the form when the version is in force: its changes start on a day."""

    effective_from = forms.DateField(
        label="Changes take effect from",
        widget=DateInput,
        help_text="Dates of service before this day keep the rules in force now; the changes "
        "become a new version from this day.",
    )
    notes = forms.CharField(
        label="Notes of the new version",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CodingForm(forms.Form):
    unit_rule = forms.ChoiceField(label="Counting 15-minute units", choices=UNIT_RULE_CHOICES)
    practitioner_modifiers = forms.BooleanField(
        label="Practitioner-level modifiers (HM/HN/HO/HP by the rendering provider's degree)", required=False
    )
    distinct_modifier = forms.ChoiceField(
        label="Distinct-service modifier", choices=_modifier_choices(DISTINCT_MODIFIERS)
    )
    evaluation_repeat_days = forms.IntegerField(
        label="Days before a diagnostic evaluation (90791/90792) may repeat",
        min_value=0,
        max_value=EVALUATION_REPEAT_MAX_DAYS,
        initial=180,
        required=False,
        help_text="0: repeats are not flagged; blank: 180.",
    )


class TelehealthForm(forms.Form):
    telehealth_pos = forms.ChoiceField(
        label="Place of service for telehealth", choices=TELEHEALTH_POS_CHOICES
    )
    video_modifier = forms.ChoiceField(
        label="Modifier for audio and video", choices=_modifier_choices(VIDEO_MODIFIERS), required=False
    )
    audio_only_modifier = forms.ChoiceField(
        label="Modifier for audio only", choices=_modifier_choices(AUDIO_ONLY_MODIFIERS), required=False
    )
    audio_only_allowed = forms.BooleanField(label="Pays audio-only sessions", required=False)


class RenderingDefaultForm(forms.Form):
    unlisted_rendering = forms.ChoiceField(
        label="Credentials and codes no rule lists", choices=RENDERING_CHOICES
    )


class BillingForm(forms.Form):
    billing_frequency = forms.ChoiceField(label="Claims", choices=FREQUENCY_CHOICES)
    cosign_required = forms.BooleanField(label="Co-signature required before billing", required=False)
    timely_filing_days = forms.IntegerField(required=False, help_text="Blank: the payer's own setting.")
    appeal_window_days = forms.IntegerField(required=False, help_text="Blank: the payer's own setting.")
    eligibility_service_types = forms.CharField(
        label="Eligibility: service type codes asked",
        max_length=60,
        required=False,
        initial="MH",
        help_text="X12 codes, comma-separated; one per request unless the payer accepts several (MH, A6, AI, 30).",
    )
    eligibility_verify_within_days = forms.IntegerField(
        label="Eligibility check valid for (days around the date of service)",
        initial=30,
        min_value=0,
        required=False,
        help_text="Blank: 30.",
    )
    eligibility_enrollment_required = forms.BooleanField(
        label="Eligibility checks need provider enrollment with this payer", required=False
    )
    corrections_replacements = forms.ChoiceField(
        label="Replacement claims (frequency 7)", choices=[], required=False
    )
    corrections_voids = forms.ChoiceField(label="Void claims (frequency 8)", choices=[], required=False)
    corrections_replacement_lines = forms.ChoiceField(
        label="A replacement carries", choices=[], required=False
    )
    corrections_secondary_filing_from = forms.ChoiceField(
        label="As secondary payer, timely filing counts from", choices=[], required=False
    )
    corrections_medicare_secondary_type = forms.CharField(
        label="Medicare secondary payer type (SBR05)",
        max_length=2,
        required=False,
        help_text="Medicare payers only: e.g. 12, 43 or 47. Sent when Medicare is not the primary.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = [
            ("", "The payer kind's default (Medicare: no)"),
            ("yes", "Accepted"),
            ("no", "Not accepted"),
        ]
        self.fields["corrections_replacements"].choices = allowed  # type: ignore[attr-defined]
        self.fields["corrections_voids"].choices = allowed  # type: ignore[attr-defined]
        self.fields["corrections_replacement_lines"].choices = [  # type: ignore[attr-defined]
            (ReplacementLines.ALL.value, "Every line of the claim"),
            (ReplacementLines.CHANGED.value, "Only the lines corrected"),
        ]
        self.fields["corrections_secondary_filing_from"].choices = [  # type: ignore[attr-defined]
            (SecondaryFilingFrom.DATE_OF_SERVICE.value, "The date of service"),
            (SecondaryFilingFrom.PRIMARY_ADJUDICATION.value, "The earlier payer's remittance date"),
        ]


class RenderingRuleForm(forms.Form):
    credentials = forms.CharField(max_length=300, help_text=CREDENTIAL_HELP)
    codes = forms.CharField(
        max_length=500,
        required=False,
        help_text=(
            "Blank: every code the scope of practice allows. Codes named here are paid for these "
            "credentials even outside it (or refused, with 'May not render')."
        ),
    )
    billing = forms.ChoiceField(choices=RENDERING_CHOICES, initial=RenderingBilling.RENDERING.value)


class SubstitutionForm(forms.Form):
    from_code = forms.CharField(label="Code", max_length=5)
    to_code = forms.CharField(label="Billed as", max_length=5)
    credentials = forms.CharField(label="When rendered by", max_length=300, help_text=CREDENTIAL_HELP)


class CrosswalkForm(forms.Form):
    service_type = forms.ChoiceField(label="Service", choices=crosswalk_service_choices)
    code = forms.CharField(label="Billed as", max_length=5)
    credentials = forms.CharField(
        label="When rendered by",
        max_length=300,
        required=False,
        help_text="Blank: whoever renders it. " + CREDENTIAL_HELP,
    )


class PriorAuthForm(forms.Form):
    codes = forms.CharField(max_length=500)
    after_visits_per_year = forms.IntegerField(
        label="After visits a year", required=False, min_value=0, help_text="Blank: always."
    )


class UnitLimitForm(forms.Form):
    code = forms.CharField(max_length=5)
    units = forms.IntegerField(label="Units a day", min_value=1)


class VisitLimitForm(forms.Form):
    name = forms.CharField(max_length=60)
    codes = forms.CharField(max_length=500)
    visits_per_year = forms.IntegerField(label="Visits a year", min_value=1)


class DiagnosisAgeForm(forms.Form):
    diagnosis = forms.CharField(label="Diagnosis (code or start)", max_length=8)  # the document's "prefix"
    min_age = forms.IntegerField(required=False, min_value=0)
    max_age = forms.IntegerField(required=False, min_value=0)
    severity = forms.ChoiceField(choices=SEVERITY_CHOICES, initial="warning")
    message = forms.CharField(max_length=200, required=False)


SAME_PROVIDER_CHOICES = [("yes", "Same rendering provider"), ("no", "Any provider")]


class SameDayForm(forms.Form):
    rule = forms.CharField(
        label="Rule",
        max_length=60,
        help_text="A default's name changes that default: "
        + ", ".join(r.rule for r in default_same_day_rules())
        + ". Another name adds a rule.",
    )
    codes = forms.CharField(max_length=500, required=False, help_text="Blank: the default's codes.")
    with_codes = forms.CharField(
        label="Conflicts with", max_length=500, required=False, help_text="Blank: the default's codes."
    )
    same_provider = forms.ChoiceField(label="When billed by", choices=SAME_PROVIDER_CHOICES, initial="yes")
    severity = forms.ChoiceField(
        choices=[(k.value, label) for k, label in SAME_DAY_SEVERITY_LABELS.items()], initial="error"
    )
    why = forms.CharField(
        label="Why (for billers)", max_length=200, required=False, help_text="Blank: the default's words."
    )


def _formset(form: type[forms.Form]) -> type[BaseFormSet]:  # type: ignore[type-arg]
    return formset_factory(form, extra=2, can_delete=True)


# (document key, formset class, title) in the order the screen shows them
LIST_GROUPS: tuple[tuple[str, type[BaseFormSet], str], ...] = (  # type: ignore[type-arg]
    (
        "rendering",
        _formset(RenderingRuleForm),
        "Who renders (narrows or widens the scope of practice), and who goes on the claim",
    ),
    ("code_substitutions", _formset(SubstitutionForm), "Code substitutions"),
    ("crosswalk", _formset(CrosswalkForm), "Crosswalk: this payer's code for a service"),
    ("prior_auth", _formset(PriorAuthForm), "Prior authorization"),
    ("max_units_per_day", _formset(UnitLimitForm), "Maximum units per day"),
    ("visit_limits", _formset(VisitLimitForm), "Visit limits per calendar year"),
    ("diagnosis_age", _formset(DiagnosisAgeForm), "Diagnosis and age"),
    ("same_day", _formset(SameDayForm), "Same-day code conflicts (changes to the default table)"),
)
LIST_FIELDS = {
    "rendering": ("credentials", "codes"),
    "code_substitutions": ("credentials",),
    "crosswalk": ("credentials",),
    "prior_auth": ("codes",),
    "visit_limits": ("codes",),
    "same_day": ("codes", "with_codes"),
}


# document field -> form field, where they differ
FORM_FIELD_NAMES = {("diagnosis_age", "prefix"): "diagnosis"}


def _rows(formset: BaseFormSet) -> list[tuple[int, dict[str, Any]]]:  # type: ignore[type-arg]
    """(form index, cleaned data) of the filled-in rows that are not marked for deletion."""
    rows = []
    for index, form in enumerate(formset.forms):
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        rows.append((index, data))
    return rows


class RuleSetForms:
    """Every form of the rule-set screen, bound to one POST (or to a stored document)."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        document: Mapping[str, Any] | None = None,
        effective_from: date | None = None,
        effective_to: date | None = None,
        notes: str = "",
        revise: bool = False,
    ) -> None:
        initial = _initial(document or {})
        bound = data is not None
        self.revise = revise  # a version in force: the changes start on a chosen day (a new version)
        self.version: forms.Form = (RevisionForm if revise else VersionForm)(
            data if bound else None,
            prefix="version",
            initial={"effective_from": effective_from, "effective_to": effective_to, "notes": notes},
        )
        self.coding = CodingForm(data if bound else None, prefix="coding", initial=initial["coding"])
        self.telehealth = TelehealthForm(
            data if bound else None, prefix="telehealth", initial=initial["coding"]
        )
        self.rendering_default = RenderingDefaultForm(
            data if bound else None, prefix="rendering_default", initial=initial["top"]
        )
        self.billing = BillingForm(data if bound else None, prefix="billing", initial=initial["top"])
        self.formsets: dict[str, BaseFormSet] = {  # type: ignore[type-arg]
            key: cls(data if bound else None, prefix=key, initial=initial[key]) for key, cls, _ in LIST_GROUPS
        }
        self.titles = {key: title for key, _, title in LIST_GROUPS}
        # document index -> formset form index, filled by document()
        self._rows: dict[str, list[int]] = {}

    @property
    def single_forms(self) -> tuple[forms.Form, ...]:
        return (self.version, self.coding, self.telehealth, self.rendering_default, self.billing)

    def is_valid(self) -> bool:
        results = [f.is_valid() for f in self.single_forms]
        results += [fs.is_valid() for fs in self.formsets.values()]
        return all(results)

    @property
    def has_errors(self) -> bool:
        return any(f.errors for f in self.single_forms) or any(
            fs.total_error_count() for fs in self.formsets.values()
        )

    def dates(self) -> tuple[date, date | None, str]:
        data = self.version.cleaned_data
        return data["effective_from"], data.get("effective_to"), data.get("notes") or ""

    def document(self) -> dict[str, Any]:
        """The rules document from valid forms (call after is_valid())."""
        coding = self.coding.cleaned_data
        telehealth = self.telehealth.cleaned_data
        billing = self.billing.cleaned_data
        rows = {key: _rows(fs) for key, fs in self.formsets.items()}
        self._rows = {key: [index for index, _ in items] for key, items in rows.items()}
        return {
            "coding": {
                "unit_rule": coding["unit_rule"],
                "practitioner_modifiers": coding["practitioner_modifiers"],
                "distinct_modifier": coding["distinct_modifier"],
                "evaluation_repeat_days": 180
                if coding.get("evaluation_repeat_days") is None
                else coding["evaluation_repeat_days"],
                "telehealth_pos": telehealth["telehealth_pos"],
                "video_modifier": telehealth["video_modifier"],
                "audio_only_modifier": telehealth["audio_only_modifier"],
                "audio_only_allowed": telehealth["audio_only_allowed"],
                "code_substitutions": [
                    {
                        "from_code": d["from_code"],
                        "to_code": d["to_code"],
                        "credentials": split_list(d["credentials"]),
                    }
                    for _, d in rows["code_substitutions"]
                ],
                "max_units_per_day": {
                    d["code"].strip().upper(): d["units"] for _, d in rows["max_units_per_day"]
                },
                "crosswalk": [
                    {
                        "service_type": d["service_type"],
                        "code": d["code"],
                        "credentials": split_list(d.get("credentials") or ""),
                    }
                    for _, d in rows["crosswalk"]
                ],
            },
            "rendering": [
                {
                    "credentials": split_list(d["credentials"]),
                    "codes": split_list(d["codes"]),
                    "billing": d["billing"],
                }
                for _, d in rows["rendering"]
            ],
            "unlisted_rendering": self.rendering_default.cleaned_data["unlisted_rendering"],
            "prior_auth": [
                {"codes": split_list(d["codes"]), "after_visits_per_year": d.get("after_visits_per_year")}
                for _, d in rows["prior_auth"]
            ],
            "visit_limits": [
                {"name": d["name"], "codes": split_list(d["codes"]), "visits_per_year": d["visits_per_year"]}
                for _, d in rows["visit_limits"]
            ],
            "diagnosis_age": [
                {
                    "prefix": d["diagnosis"],
                    "min_age": d.get("min_age"),
                    "max_age": d.get("max_age"),
                    "severity": d["severity"],
                    "message": d.get("message") or "",
                }
                for _, d in rows["diagnosis_age"]
            ],
            "same_day": [
                {
                    "rule": d["rule"],
                    "codes": split_list(d.get("codes") or ""),
                    "with_codes": split_list(d.get("with_codes") or ""),
                    "same_provider": d["same_provider"] != "no",
                    "severity": d["severity"],
                    "why": d.get("why") or "",
                }
                for _, d in rows["same_day"]
            ],
            "billing_frequency": billing["billing_frequency"],
            "cosign_required": billing["cosign_required"],
            "timely_filing_days": billing.get("timely_filing_days"),
            "appeal_window_days": billing.get("appeal_window_days"),
            "eligibility": {
                "service_types": split_list(billing.get("eligibility_service_types") or "") or ["MH"],
                "verify_within_days": 30
                if billing.get("eligibility_verify_within_days") is None
                else billing["eligibility_verify_within_days"],
                "enrollment_required": billing["eligibility_enrollment_required"],
            },
            "corrections": {
                "replacements": _yes_no(billing.get("corrections_replacements")),
                "voids": _yes_no(billing.get("corrections_voids")),
                "replacement_lines": billing.get("corrections_replacement_lines")
                or ReplacementLines.ALL.value,
                "secondary_filing_from": billing.get("corrections_secondary_filing_from")
                or SecondaryFilingFrom.DATE_OF_SERVICE.value,
                "medicare_secondary_type": (billing.get("corrections_medicare_secondary_type") or "").strip(),
            },
        }

    def add_errors(self, field_errors: Mapping[str, Sequence[str]]) -> None:
        """Show a service's field errors on the form or row they are about."""
        for path, messages in field_errors.items():
            form, name = self._target(path)
            for message in messages:
                form.add_error(name if name in form.fields else None, message)

    def _target(self, path: str) -> tuple[forms.Form, str | None]:
        match = re.match(r"^(?:coding\.)?(\w+)\[(\d+)\]\.(\w+)$", path)
        if match and match.group(1) in self.formsets:
            key, index, name = match.group(1), int(match.group(2)), match.group(3)
            positions = self._rows.get(key, [])
            if index < len(positions):
                return self.formsets[key].forms[positions[index]], FORM_FIELD_NAMES.get((key, name), name)
        unit = re.match(r"^coding\.max_units_per_day\.(\w+)$", path)
        if unit:
            for index in self._rows.get("max_units_per_day", []):
                form = self.formsets["max_units_per_day"].forms[index]
                if str(form.cleaned_data.get("code", "")).strip().upper() == unit.group(1):
                    return form, "code"
        name = path.removeprefix("coding.")
        for form in self.single_forms:
            if name in form.fields:
                return form, name
        return self.version, None


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _corrections_initial(corrections: Mapping[str, Any]) -> dict[str, Any]:
    def choice(value: object) -> str:
        return "" if value is None else ("yes" if value else "no")

    return {
        "corrections_replacements": choice(corrections.get("replacements")),
        "corrections_voids": choice(corrections.get("voids")),
        "corrections_replacement_lines": corrections.get("replacement_lines", ReplacementLines.ALL.value),
        "corrections_secondary_filing_from": corrections.get(
            "secondary_filing_from", SecondaryFilingFrom.DATE_OF_SERVICE.value
        ),
        "corrections_medicare_secondary_type": corrections.get("medicare_secondary_type", ""),
    }


def _initial(document: Mapping[str, Any]) -> dict[str, Any]:
    """Initial data for every form from a stored (canonical) document."""
    coding = dict(document.get("coding") or {})
    initial: dict[str, Any] = {
        "coding": {
            "unit_rule": coding.get("unit_rule", UnitRule.CPT_MIDPOINT.value),
            "practitioner_modifiers": coding.get("practitioner_modifiers", False),
            "distinct_modifier": coding.get("distinct_modifier", "59"),
            "evaluation_repeat_days": coding.get("evaluation_repeat_days", 180),
            "telehealth_pos": coding.get("telehealth_pos", TelehealthPos.TELEHEALTH_POS.value),
            "video_modifier": coding.get("video_modifier", "95"),
            "audio_only_modifier": coding.get("audio_only_modifier", "93"),
            "audio_only_allowed": coding.get("audio_only_allowed", True),
        },
        "top": {
            "unlisted_rendering": document.get("unlisted_rendering", RenderingBilling.RENDERING.value),
            "billing_frequency": document.get("billing_frequency", BillingFrequency.PER_SESSION.value),
            "cosign_required": document.get("cosign_required", False),
            "timely_filing_days": document.get("timely_filing_days"),
            "appeal_window_days": document.get("appeal_window_days"),
            "eligibility_service_types": joined(
                (document.get("eligibility") or {}).get("service_types", ["MH"])
            ),
            "eligibility_verify_within_days": (document.get("eligibility") or {}).get(
                "verify_within_days", 30
            ),
            "eligibility_enrollment_required": (document.get("eligibility") or {}).get(
                "enrollment_required", False
            ),
            **_corrections_initial(document.get("corrections") or {}),
        },
        "code_substitutions": [
            {**s, "credentials": joined(s.get("credentials", []))}
            for s in coding.get("code_substitutions", [])
        ],
        "max_units_per_day": [
            {"code": code, "units": units} for code, units in (coding.get("max_units_per_day") or {}).items()
        ],
        "crosswalk": [
            {**c, "credentials": joined(c.get("credentials", []))} for c in coding.get("crosswalk", [])
        ],
    }
    for key in ("rendering", "prior_auth", "visit_limits", "diagnosis_age", "same_day"):
        rows = []
        for stored in document.get(key, []):
            row = dict(stored)
            if key == "same_day":
                row["same_provider"] = "yes" if row.get("same_provider", True) else "no"
            for name in LIST_FIELDS.get(key, ()):
                row[name] = joined(row.get(name, []))
            for (section, document_name), form_name in FORM_FIELD_NAMES.items():
                if section == key and document_name in row:
                    row[form_name] = row.pop(document_name)
            rows.append(row)
        initial[key] = rows
    return initial


TELEHEALTH_CHOICES = [
    (Telehealth.NONE.value, "In person"),
    (Telehealth.AUDIO_VIDEO.value, "Telehealth, audio and video"),
    (Telehealth.AUDIO_ONLY.value, "Telehealth, audio only"),
]


class TryItForm(forms.Form):
    """A sample session for the "try it" panel (GET, nothing is written)."""

    service_type = forms.ChoiceField(choices=service_type_choices())
    minutes = forms.IntegerField(min_value=0, max_value=24 * 60, initial=53)
    credential = forms.ChoiceField(
        label="Rendering credential",
        required=False,
        choices=[("", "Not given"), *((c.value, c.value) for c in Credential)],
    )
    telehealth = forms.ChoiceField(choices=TELEHEALTH_CHOICES, required=False)
    place_of_service = forms.CharField(label="Place of service", max_length=2, initial="11")
    patient_at_home = forms.BooleanField(label="Patient at home (telehealth)", required=False)
    date_of_service = forms.DateField(label="Date of service", widget=DateInput)
    with_em = forms.BooleanField(label="E/M on the same visit", required=False)
    em_code = forms.CharField(label="E/M code", max_length=5, required=False)
    diagnoses = forms.CharField(required=False, max_length=100, help_text="ICD-10-CM codes, comma separated.")
    instruments = forms.CharField(
        label="Instruments scored",
        required=False,
        max_length=100,
        help_text="E.g. PHQ9, GAD7 (each is a unit of 96127).",
    )
    patient_age = forms.IntegerField(required=False, min_value=0, max_value=130)
    visits_before = forms.IntegerField(
        label="Visits already this year", required=False, min_value=0, max_value=366, initial=0
    )
