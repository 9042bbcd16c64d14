"""Forms for the note screens: shape only; the services and the documentation checks apply the rules.

The editor form is generated from the service type's note template (clinical_notes/data/
note_templates.json): one input per template field, the template's intervention pick list, a
score input per measurement instrument (with its valid range), the session's times, the
patient's diagnoses and the active treatment plan's goals.

Every input carries a `data-*` attribute that static/js/note_editor.js reads to build the notes
API's draft-update body, so the autosave and the server-side Save send the same values.

Times are entered as local date-times in the practice's time zone. A time that does not exist
there (the spring-forward gap) is an error; a time that happens twice (fall back) is taken as
the first occurrence, like the schedule does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms

from clinical_notes.domain.content import MAX_MINUTES, MAX_SHORT_TEXT_CHARS, MAX_TEXT_CHARS
from clinical_notes.domain.disclosure import PURPOSE_DETAIL_MAX, PURPOSE_DETAIL_MIN, PURPOSE_LABELS
from clinical_notes.domain.templates import FieldKind, NoteTemplate, catalog
from clinical_notes.domain.types import GoalProgress, Measurement, Segment
from core.domain.service_types import service_type_choices
from practice.domain.place_of_service import PLACES_OF_SERVICE
from scheduling.domain.times import wall_time_to_utc

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"
TELEHEALTH_CHOICES = [
    ("", "In person"),
    ("audio_video", "Telehealth, audio and video"),
    ("audio_only", "Telehealth, audio only"),
]
PRESENCE_CHOICES = [("", "Not answered"), ("yes", "Yes"), ("no", "No")]
PLACE_CHOICES = [(code, f"{code} – {label}") for code, label in PLACES_OF_SERVICE.items()]
MAX_SEGMENT_ROWS = 12
PRESENCE_VALUES = {"yes": True, "no": False}


def text_name(key: str) -> str:
    return f"content-{key}"


def segment_name(index: int, part: str) -> str:
    return f"segment-{index}-{part}"


def measure_name(code: str) -> str:
    return f"measure-{code}"


def goal_name(goal_id: int) -> str:
    return f"goal-{goal_id}"


def goal_progress_name(goal_id: int) -> str:
    return f"goal-{goal_id}-progress"


PARTICIPANTS_PRESENT = "participants-patient_present"
PARTICIPANTS_OTHERS = "participants-others"
INTERVENTIONS = text_name("interventions")


def posted_segment_rows(data: Mapping[str, Any] | None) -> int:
    """How many time rows a posted form holds (rows are numbered from 0)."""
    if not data:
        return 0
    indices = set()
    for key in data:
        parts = str(key).split("-")
        if len(parts) == 3 and parts[0] == "segment" and parts[1].isdigit():
            indices.add(int(parts[1]))
    return min(max(indices) + 1, MAX_SEGMENT_ROWS) if indices else 0


def local_input(moment: dt.datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime(LOCAL_INPUT_FORMAT)


def _parse_local(raw: str) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    return value.replace(second=0, microsecond=0) if value.tzinfo is None else None


class NoteEditorForm(forms.Form):
    """The note editor. Build it with the note's template and the pickers' choices."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput(attrs={"data-version": "1"}))
    service_type = forms.ChoiceField(
        choices=service_type_choices(),
        widget=forms.Select(attrs={"data-header": "service_type"}),
        help_text="Changing it reloads the form with that service's template.",
    )
    date_of_service = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date", "data-header": "date_of_service"}, format="%Y-%m-%d"),
        help_text="The day the session started, in the practice's time zone.",
    )
    place_of_service = forms.ChoiceField(
        choices=PLACE_CHOICES, widget=forms.Select(attrs={"data-header": "place_of_service"})
    )
    telehealth = forms.ChoiceField(
        choices=TELEHEALTH_CHOICES, required=False, widget=forms.Select(attrs={"data-header": "telehealth"})
    )
    attested = forms.BooleanField(required=False, label="I attest to this note (needed to sign)")

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        template: NoteTemplate,
        zone: ZoneInfo,
        diagnosis_choices: Sequence[tuple[int, str]],
        goal_choices: Sequence[tuple[int, str]],
        segment_rows: int = 1,
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=dict(initial or {}))
        self.template = template
        self.zone = zone
        self.goal_ids = [goal_id for goal_id, _label in goal_choices]
        self.segment_rows = max(1, min(segment_rows, MAX_SEGMENT_ROWS), posted_segment_rows(data))
        self.segments: list[Segment] = []
        self.time_warnings: list[str] = []
        cat = catalog()
        for key, spec in cat.fields.items():
            if key not in template.fields:
                continue
            if spec.kind is FieldKind.TEXT:
                self.fields[text_name(key)] = forms.CharField(
                    label=spec.label,
                    required=False,
                    max_length=MAX_TEXT_CHARS,
                    strip=False,
                    help_text=spec.help,
                    widget=forms.Textarea(attrs={"rows": 3, "data-content": key}),
                )
            elif spec.kind is FieldKind.CHOICE:
                self.fields[text_name(key)] = forms.ChoiceField(
                    label=spec.label,
                    required=False,
                    help_text=spec.help,
                    choices=[("", "Not chosen"), *spec.options],
                    widget=forms.Select(attrs={"data-content": key}),
                )
            elif spec.kind is FieldKind.CHOICES:
                self.fields[text_name(key)] = forms.MultipleChoiceField(
                    label=spec.label,
                    required=False,
                    help_text=spec.help,
                    choices=list(spec.options),
                    widget=forms.CheckboxSelectMultiple(attrs={"data-content-choices": key}),
                )
            elif spec.kind is FieldKind.MINUTES:
                self.fields[text_name(key)] = forms.IntegerField(
                    label=spec.label,
                    required=False,
                    min_value=0,
                    max_value=MAX_MINUTES,
                    help_text=spec.help,
                    widget=forms.NumberInput(
                        attrs={"data-content-minutes": key, "min": 0, "max": MAX_MINUTES}
                    ),
                )
            elif spec.kind is FieldKind.INTERVENTIONS:
                self.fields[INTERVENTIONS] = forms.MultipleChoiceField(
                    label=spec.label,
                    required=False,
                    help_text=spec.help,
                    choices=[(i.code, i.label) for i in template.interventions],
                    widget=forms.CheckboxSelectMultiple(attrs={"data-content-list": key}),
                )
            else:
                self.fields[PARTICIPANTS_PRESENT] = forms.ChoiceField(
                    label="Was the identified patient present?",
                    required=False,
                    choices=PRESENCE_CHOICES,
                    help_text="It decides which code applies (family psychotherapy with or without the patient).",
                    widget=forms.RadioSelect(attrs={"data-participants": "patient_present"}),
                )
                self.fields[PARTICIPANTS_OTHERS] = forms.CharField(
                    label="Others who attended",
                    required=False,
                    max_length=MAX_SHORT_TEXT_CHARS,
                    widget=forms.TextInput(attrs={"data-participants": "others"}),
                )
        for index in range(self.segment_rows):
            for part, label in (("start", "Started"), ("end", "Ended")):
                self.fields[segment_name(index, part)] = forms.CharField(
                    label=f"{label} (time {index + 1})",
                    required=False,
                    widget=forms.DateTimeInput(
                        attrs={
                            "type": "datetime-local",
                            # the table's column header is not a label: name each box
                            "aria-label": f"{label} (time {index + 1})",
                            "data-segment-part": part,
                            "data-segment-index": str(index),
                        }
                    ),
                )
            if template.risk_assessment_required:
                self.fields[segment_name(index, "crisis")] = forms.BooleanField(
                    label="Crisis time",
                    required=False,
                    widget=forms.CheckboxInput(
                        attrs={
                            "aria-label": f"Crisis time (time {index + 1})",
                            "data-segment-part": "crisis",
                            "data-segment-index": str(index),
                        }
                    ),
                )
        for code, instrument in cat.instruments.items():
            self.fields[measure_name(code)] = forms.IntegerField(
                label=instrument.label,
                required=False,
                min_value=instrument.min_score,
                max_value=instrument.max_score,
                widget=forms.NumberInput(
                    attrs={
                        "data-instrument": code,
                        "min": instrument.min_score,
                        "max": instrument.max_score,
                        "placeholder": f"{instrument.min_score}–{instrument.max_score}",
                    }
                ),
            )
        self.fields["diagnosis_ids"] = forms.TypedMultipleChoiceField(
            label="Diagnoses addressed",
            coerce=int,
            required=False,
            choices=list(diagnosis_choices),
            help_text="From the patient's active diagnoses.",
            widget=forms.CheckboxSelectMultiple(attrs={"data-diagnosis": "1"}),
        )
        for goal_id, label in goal_choices:
            self.fields[goal_name(goal_id)] = forms.BooleanField(
                label=label, required=False, widget=forms.CheckboxInput(attrs={"data-goal": str(goal_id)})
            )
            self.fields[goal_progress_name(goal_id)] = forms.CharField(
                label="Progress on this goal",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2, "data-goal-progress": str(goal_id)}),
            )

    # -- cleaning ---------------------------------------------------------------------------

    def _instant(self, name: str, raw: str) -> dt.datetime | None:
        wall = _parse_local(raw)
        if wall is None:
            self.add_error(name, "Enter a date and time, as 2026-03-09 14:30.")
            return None
        instant, problems = wall_time_to_utc(wall, self.zone, field=name)
        for problem in problems:
            if instant is None:
                self.add_error(name, problem.message)
            else:
                self.time_warnings.append(problem.message)
        return instant

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        segments = []
        for index in range(self.segment_rows):
            start_name, end_name = segment_name(index, "start"), segment_name(index, "end")
            start_raw = str(cleaned.get(start_name) or "").strip()
            end_raw = str(cleaned.get(end_name) or "").strip()
            if not start_raw and not end_raw:
                continue
            if not start_raw or not end_raw:
                self.add_error(start_name if not start_raw else end_name, "Enter both the start and the end.")
                continue
            starts_at = self._instant(start_name, start_raw)
            ends_at = self._instant(end_name, end_raw)
            if starts_at is not None and ends_at is not None:
                crisis = bool(cleaned.get(segment_name(index, "crisis"), False))
                segments.append(Segment(starts_at=starts_at, ends_at=ends_at, is_crisis=crisis))
        self.segments = segments
        return cleaned

    # -- output -----------------------------------------------------------------------------

    def content(self, carried: Mapping[str, object]) -> dict[str, object]:
        """The note's content: what the form holds, plus `carried` keys of other templates."""
        data = self.cleaned_data
        content: dict[str, object] = {k: v for k, v in carried.items() if k not in self.template.fields}
        kinds = {key: spec.kind for key, spec in catalog().fields.items()}
        for key in self.template.fields:
            name = text_name(key)
            kind = kinds.get(key)
            if kind is FieldKind.CHOICES:
                chosen_values = list(data.get(name) or [])
                if chosen_values:
                    content[key] = chosen_values
            elif kind is FieldKind.MINUTES:
                if data.get(name) is not None:
                    content[key] = int(data[name])
            elif key == "participants":
                present = PRESENCE_VALUES.get(str(data.get(PARTICIPANTS_PRESENT) or ""))
                others = str(data.get(PARTICIPANTS_OTHERS) or "").strip()
                if present is not None or others:
                    content["participants"] = {"patient_present": present, "others": others}
            elif key == "interventions":
                chosen = list(data.get(INTERVENTIONS) or [])
                if chosen:
                    content["interventions"] = chosen
            elif name in self.fields:
                text = str(data.get(name) or "").replace("\r\n", "\n")
                if text.strip():
                    content[key] = text
        return content

    def measurements(self) -> list[Measurement]:
        return [
            Measurement(instrument=code, score=score)
            for code in catalog().instruments
            if (score := self.cleaned_data.get(measure_name(code))) is not None
        ]

    def goals(self) -> list[GoalProgress]:
        return [
            GoalProgress(
                goal_id=goal_id, progress=str(self.cleaned_data.get(goal_progress_name(goal_id)) or "")
            )
            for goal_id in self.goal_ids
            if self.cleaned_data.get(goal_name(goal_id))
        ]

    def draft_values(self, carried: Mapping[str, object]) -> dict[str, Any]:
        """The keyword arguments of `services.note_draft_update` (without access, id, version)."""
        data = self.cleaned_data
        return {
            "content": self.content(carried),
            "segments": list(self.segments),
            "measurements": self.measurements(),
            "diagnosis_ids": [int(d) for d in data.get("diagnosis_ids") or []],
            "goals": self.goals(),
            "service_type": data["service_type"],
            "date_of_service": data["date_of_service"],
            "place_of_service": data["place_of_service"],
            "telehealth": data.get("telehealth") or "",
        }


def stored_values(note: Any) -> dict[str, Any]:
    """A stored note (SessionNote with its parts) in the shape `NoteEditorForm.draft_values` gives."""
    return {
        "content": dict(note.content or {}),
        "segments": [
            Segment(starts_at=s.starts_at, ends_at=s.ends_at, is_crisis=s.is_crisis)
            for s in note.segments.all()
        ],
        "measurements": [
            Measurement(instrument=m.instrument, score=m.score) for m in note.measurements.all()
        ],
        "diagnosis_ids": [d.diagnosis_id for d in note.note_diagnoses.all()],
        "goals": [GoalProgress(goal_id=g.goal_id, progress=g.progress) for g in note.note_goals.all()],
        "service_type": note.service_type,
        "date_of_service": note.date_of_service,
        "place_of_service": note.place_of_service,
        "telehealth": note.telehealth,
    }


def _comparable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **values,
        "segments": [
            (s.starts_at.timestamp(), s.ends_at.timestamp(), s.is_crisis) for s in values["segments"]
        ],
        "measurements": sorted((m.instrument, m.score) for m in values["measurements"]),
        "goals": sorted((g.goal_id, g.progress) for g in values["goals"]),
        "service_type": str(values["service_type"]),
    }


def draft_changed(posted: Mapping[str, Any], stored: Mapping[str, Any]) -> bool:
    """Whether saving `posted` would change the stored draft (so an unchanged form saves nothing)."""
    return _comparable(posted) != _comparable(stored)


def editor_initial(
    values: Mapping[str, Any], *, version: int, template: NoteTemplate, zone: ZoneInfo
) -> dict[str, Any]:
    """The editor's initial values from `stored_values(note)` (the inverse of `draft_values`)."""
    content: Mapping[str, object] = values["content"]
    initial: dict[str, Any] = {
        "version": version,
        "service_type": values["service_type"],
        "date_of_service": values["date_of_service"],
        "place_of_service": values["place_of_service"],
        "telehealth": values["telehealth"],
        "diagnosis_ids": list(values["diagnosis_ids"]),
    }
    kinds = {key: spec.kind for key, spec in catalog().fields.items()}
    for key in template.fields:
        value = content.get(key)
        if kinds.get(key) is FieldKind.CHOICES:
            initial[text_name(key)] = [str(v) for v in value] if isinstance(value, list) else []
        elif kinds.get(key) is FieldKind.MINUTES:
            if isinstance(value, int) and not isinstance(value, bool):
                initial[text_name(key)] = value
        elif key == "participants":
            participants = cast(Mapping[str, object], value) if isinstance(value, Mapping) else {}
            present = participants.get("patient_present")
            initial[PARTICIPANTS_PRESENT] = "yes" if present is True else "no" if present is False else ""
            initial[PARTICIPANTS_OTHERS] = str(participants.get("others") or "")
        elif key == "interventions":
            initial[INTERVENTIONS] = [str(v) for v in value] if isinstance(value, list) else []
        elif isinstance(value, str):
            initial[text_name(key)] = value
    for index, segment in enumerate(values["segments"]):
        initial[segment_name(index, "start")] = local_input(segment.starts_at, zone)
        initial[segment_name(index, "end")] = local_input(segment.ends_at, zone)
        initial[segment_name(index, "crisis")] = segment.is_crisis
    for measurement in values["measurements"]:
        initial[measure_name(measurement.instrument)] = measurement.score
    for goal in values["goals"]:
        initial[goal_name(goal.goal_id)] = True
        initial[goal_progress_name(goal.goal_id)] = goal.progress
    return initial


class SignForm(forms.Form):
    """Signing without the editor's fields (the note as saved)."""

    version = forms.IntegerField(min_value=1, required=False)
    attested = forms.BooleanField(required=False)


class CosignForm(forms.Form):
    attested = forms.BooleanField(
        required=True,
        label="I supervised this service, reviewed this note and agree with its content.",
        error_messages={"required": "Tick the attestation to co-sign."},
    )
    next = forms.CharField(required=False)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        max_length=5000,
        label="What should the author change?",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what the author should change."},
    )
    next = forms.CharField(required=False)


class AddendumForm(forms.Form):
    reason = forms.CharField(max_length=200, label="Reason")
    text = forms.CharField(max_length=20_000, label="Addendum", widget=forms.Textarea(attrs={"rows": 4}))


class FullNoteOpenForm(forms.Form):
    """ "Open the full note" (billing readers): why, and which request. Shape only."""

    purpose = forms.ChoiceField(
        label="Why do you need the full note?",
        choices=[("", "Choose…"), *((p.value, label) for p, label in PURPOSE_LABELS.items())],
    )
    detail = forms.CharField(
        label="Which request (a reference or a few words)",
        max_length=PURPOSE_DETAIL_MAX,
        min_length=PURPOSE_DETAIL_MIN,
    )


class NoteFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any status"),
            ("draft", "Draft"),
            ("awaiting_cosign", "Awaiting co-signature"),
            ("returned", "Returned for revision"),
            ("final", "Final"),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1)


class CosignManyForm(forms.Form):
    """The co-sign queue's "co-sign the ticked notes": one attestation box per note."""

    note_ids = forms.TypedMultipleChoiceField(coerce=int, required=True, choices=())
    next = forms.CharField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        posted = self.data.getlist("note_ids") if hasattr(self.data, "getlist") else []
        field = self.fields["note_ids"]
        assert isinstance(field, forms.TypedMultipleChoiceField)  # noqa: S101 - narrowing for mypy
        field.choices = [(value, value) for value in posted if str(value).isdigit() and len(str(value)) <= 12]
        field.error_messages["required"] = "Tick at least one note to co-sign."

    def clean_note_ids(self) -> list[int]:
        ids: list[int] = self.cleaned_data["note_ids"]
        if len(ids) > COSIGN_MANY_LIMIT:
            raise forms.ValidationError(f"Co-sign at most {COSIGN_MANY_LIMIT} notes at once.")
        return ids


COSIGN_MANY_LIMIT = 20
