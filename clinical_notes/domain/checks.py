"""Documentation checks: pure functions over `NoteFacts`, each returning a list of Problems.

Every problem has a stable code (`NoteProblemCode`), a plain-language message, the field it
is about and a fix hint. Errors block signing; warnings are stored with the note and shown to
the author and the supervisor. `run_documentation_checks` runs them all in a fixed order.

Time rules: segments are aware datetimes. Durations are computed in UTC (so a session across
a daylight-saving change counts real minutes), while the date of service and "crossing
midnight" are decided in the practice's time zone (`facts.timezone`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo

from clinical_notes.domain.codes import NoteProblemCode as Code
from clinical_notes.domain.templates import (
    FieldKind,
    NoteTemplate,
    PatientPresence,
    TemplateCatalog,
    catalog,
)
from clinical_notes.domain.types import NoteFacts, PreviousNote, Segment
from core.domain.problems import Problem, Severity, problem_as_dict
from core.domain.service_types import ServiceType
from core.formatting import date_label

WARNING = Severity.WARNING

# 97153 (technician) alongside 97155 (analyst modifying the protocol with the patient present)
# is a recognised concurrent pair: a warning to confirm the payer allows it, not an error.
ABA_CONCURRENT_PAIRS = frozenset(
    {frozenset({ServiceType.ABA_TECHNICIAN_TREATMENT, ServiceType.ABA_PROTOCOL_MODIFICATION})}
)


# ---------------------------------------------------------------------------- helpers


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def is_valid_segment(segment: Segment) -> bool:
    return _utc(segment.ends_at) > _utc(segment.starts_at)


def segment_minutes(segment: Segment) -> int:
    """Whole minutes in one segment (real elapsed time, so DST-safe); 0 when invalid."""
    if not is_valid_segment(segment):
        return 0
    return int((_utc(segment.ends_at) - _utc(segment.starts_at)).total_seconds() // 60)


def session_minutes(segments: Sequence[Segment]) -> int:
    """Whole minutes of face-to-face time: the union of the valid segments (overlaps count once)."""
    spans = sorted((_utc(s.starts_at), _utc(s.ends_at)) for s in segments if is_valid_segment(s))
    total = 0.0
    current_start: datetime | None = None
    current_end: datetime | None = None
    for start, end in spans:
        if current_end is None or current_start is None or start > current_end:
            if current_end is not None and current_start is not None:
                total += (current_end - current_start).total_seconds()
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None and current_start is not None:
        total += (current_end - current_start).total_seconds()
    return int(total // 60)


def segments_overlap(a: Segment, b: Segment) -> bool:
    """Half-open intervals: one ending at 10:00 and the next starting at 10:00 do not overlap."""
    if not (is_valid_segment(a) and is_valid_segment(b)):
        return False
    return _utc(a.starts_at) < _utc(b.ends_at) and _utc(b.starts_at) < _utc(a.ends_at)


def local_date(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def crosses_midnight(segment: Segment, zone: tzinfo) -> bool:
    """Whether a valid segment runs into the next local day (ending exactly at 00:00 does not)."""
    if not is_valid_segment(segment):
        return False
    start = segment.starts_at.astimezone(zone)
    end = segment.ends_at.astimezone(zone)
    last_day = end.date() if end.time() != time(0) else date.fromordinal(end.date().toordinal() - 1)
    return last_day > start.date()


def _span(segment: Segment, zone: tzinfo) -> str:
    start = segment.starts_at.astimezone(zone)
    end = segment.ends_at.astimezone(zone)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def _text(content: Mapping[str, object], key: str) -> str:
    value = content.get(key)
    return value.strip() if isinstance(value, str) else ""


_WORD = re.compile(r"[a-z0-9']+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _interventions(content: Mapping[str, object]) -> list[str]:
    value = content.get("interventions")
    if not isinstance(value, list):
        return []
    return [str(v) for v in value if isinstance(v, str) and v]


def _patient_present(content: Mapping[str, object]) -> bool | None:
    participants = content.get("participants")
    if not isinstance(participants, Mapping):
        return None
    value = participants.get("patient_present")
    return value if isinstance(value, bool) else None


def field_is_filled(content: Mapping[str, object], key: str, kind: FieldKind) -> bool:
    if kind is FieldKind.TEXT:
        return bool(_text(content, key))
    if kind is FieldKind.INTERVENTIONS:
        return bool(_interventions(content))
    if kind is FieldKind.CHOICE:
        value = content.get(key)
        return isinstance(value, str) and bool(value)
    if kind is FieldKind.CHOICES:
        value = content.get(key)
        return isinstance(value, list) and bool(value)
    if kind is FieldKind.MINUTES:
        value = content.get(key)
        return isinstance(value, int) and not isinstance(value, bool)
    return _patient_present(content) is not None


def format_icd10(code: str) -> str:
    code = code.replace(".", "").upper()
    return f"{code[:3]}.{code[3:]}" if len(code) > 3 else code


def _label(cat: TemplateCatalog, key: str) -> str:
    spec = cat.fields.get(key)
    return spec.label if spec else key


# ---------------------------------------------------------------------------- content


# Fields whose absence a more specific check explains (so it is reported once).
_EXPLAINED_ELSEWHERE = frozenset({"participants", "interventions", "patient_response"})
_RISK_FIELDS = ("risk_factors", "safety_plan")


def check_required_fields(facts: NoteFacts, template: NoteTemplate, cat: TemplateCatalog) -> list[Problem]:
    problems = []
    for key in template.required_fields:
        if key in _EXPLAINED_ELSEWHERE or (template.risk_assessment_required and key in _RISK_FIELDS):
            continue
        spec = cat.fields[key]
        if not field_is_filled(facts.content, key, spec.kind):
            problems.append(
                Problem(
                    code=Code.MISSING_REQUIRED_FIELD,
                    message=f"{spec.label} is required for {template.label.lower()}.",
                    field=f"content.{key}",
                    fix_hint=spec.help,
                )
            )
    return problems


def check_patient_presence(facts: NoteFacts, template: NoteTemplate, cat: TemplateCatalog) -> list[Problem]:
    present = _patient_present(facts.content)
    field = "content.participants.patient_present"
    if present is None:
        if "participants" not in template.fields:
            return []
        return [
            Problem(
                code=Code.PATIENT_PRESENCE_MISSING,
                message="Say who attended and whether the patient was present.",
                field=field,
                fix_hint="Tick whether the identified patient was present; it decides which code applies.",
            )
        ]
    expected = template.patient_presence
    if expected is PatientPresence.ANY or (expected is PatientPresence.PRESENT) == present:
        return []
    if expected is PatientPresence.ABSENT:
        message = f"The patient was present, but {template.label.lower()} is billed only without the patient."
    else:
        message = f"The patient was not present, but {template.label.lower()} requires the patient."
    return [
        Problem(
            code=Code.PATIENT_PRESENCE_MISMATCH,
            message=message,
            field=field,
            fix_hint="Correct the participants, or choose the service that matches who attended "
            "(family psychotherapy with or without the patient).",
        )
    ]


def check_risk_assessment(facts: NoteFacts, template: NoteTemplate, cat: TemplateCatalog) -> list[Problem]:
    if not template.risk_assessment_required:
        return []
    return [
        Problem(
            code=Code.RISK_ASSESSMENT_MISSING,
            message=f"{_label(cat, key)} is required for {template.label.lower()}.",
            field=f"content.{key}",
            fix_hint="Document the risk assessment (ideation, intent, plan, means, protective factors) "
            "and the safety plan agreed.",
        )
        for key in _RISK_FIELDS
        if not _text(facts.content, key)
    ]


def check_interventions(facts: NoteFacts, template: NoteTemplate, cat: TemplateCatalog) -> list[Problem]:
    if not template.interventions or "interventions" not in template.fields:
        return []
    chosen = _interventions(facts.content)
    problems = []
    if not chosen and template.requires("interventions"):
        problems.append(
            Problem(
                code=Code.NO_INTERVENTION_SELECTED,
                message=f"No intervention is selected; {template.label.lower()} must say what was done.",
                field="content.interventions",
                fix_hint="Pick the interventions you used from the list, and describe how you applied them.",
            )
        )
    allowed = template.intervention_codes
    problems.extend(
        Problem(
            code=Code.UNKNOWN_INTERVENTION,
            message=f"'{code}' is not an intervention for {template.label.lower()}.",
            field="content.interventions",
            fix_hint="Choose from the list for this service, or pick 'Other' and describe it.",
        )
        for code in chosen
        if code not in allowed
    )
    if "other" in chosen and not _text(facts.content, "interventions_other"):
        problems.append(
            Problem(
                code=Code.OTHER_INTERVENTION_UNDESCRIBED,
                message="'Other' intervention is selected but not described.",
                field="content.interventions_other",
                fix_hint="Describe the other intervention in the details box.",
            )
        )
    return problems


def check_patient_response(facts: NoteFacts, template: NoteTemplate, cat: TemplateCatalog) -> list[Problem]:
    if "patient_response" not in template.fields:
        return []
    text = _text(facts.content, "patient_response")
    label = _label(cat, "patient_response")
    if not text:
        if not template.requires("patient_response"):
            return []
        return [
            Problem(
                code=Code.NO_PATIENT_RESPONSE,
                message=f"{label} is empty: the note must say how the patient responded.",
                field="content.patient_response",
                fix_hint="Describe what the patient said and did in response to the interventions.",
            )
        ]
    minimum = cat.quality.min_response_words
    count = len(words(text))
    if count >= minimum:
        return []
    return [
        Problem(
            code=Code.RESPONSE_TOO_SHORT,
            message=f"{label} has {count} word{'s' if count != 1 else ''}; payers read that as vague.",
            field="content.patient_response",
            severity=WARNING,
            fix_hint=f"Write at least {minimum} words: observable behaviour, quotes, change since last time.",
        )
    ]


def _normalise(text: str) -> str:
    return " " + " ".join(words(text)) + " "


def boilerplate_phrase(text: str, phrases: Sequence[str], min_words: int) -> str | None:
    """The stock phrase `text` mostly consists of, or None when there is real content too."""
    remaining = _normalise(text)
    found: str | None = None
    for phrase in phrases:
        needle = _normalise(phrase)
        if needle.strip() and needle in remaining:
            found = found or phrase
            remaining = remaining.replace(needle, " ")
    if found is None:
        return None
    return found if len(remaining.split()) < min_words else None


def check_boilerplate(facts: NoteFacts, template: NoteTemplate, cat: TemplateCatalog) -> list[Problem]:
    problems = []
    for key in template.fields:
        spec = cat.fields[key]
        text = _text(facts.content, key)
        if not spec.narrative or not text:
            continue
        phrase = boilerplate_phrase(text, cat.quality.boilerplate_phrases, cat.quality.min_response_words)
        if phrase is not None:
            problems.append(
                Problem(
                    code=Code.BOILERPLATE_TEXT,
                    message=f'{spec.label} is mostly a stock phrase ("{phrase}").',
                    field=f"content.{key}",
                    severity=WARNING,
                    fix_hint="Say what was specific to this session; stock phrases do not support a claim.",
                )
            )
    return problems


# ---------------------------------------------------------------------------- cloned notes


@dataclass(frozen=True, slots=True)
class CloneComparison:
    previous_note_id: int
    previous_date_of_service: date
    similarity: float  # 0..1, SequenceMatcher ratio over the narrative words
    diff: tuple[str, ...]  # unified diff, previous note → this note, one line per item


def narrative_lines(content: Mapping[str, object], cat: TemplateCatalog) -> list[str]:
    lines: list[str] = []
    for key in cat.narrative_fields():
        text = _text(content, key)
        if text:
            lines.append(f"## {_label(cat, key)}")
            lines.extend(line.rstrip() for line in text.splitlines() if line.strip())
    return lines


def _narrative_words(content: Mapping[str, object], cat: TemplateCatalog) -> list[str]:
    result: list[str] = []
    for key in cat.narrative_fields():
        result.extend(words(_text(content, key)))
    return result


def clone_comparison(
    content: Mapping[str, object], previous: PreviousNote, cat: TemplateCatalog | None = None
) -> CloneComparison:
    """How much of this note's narrative is the previous note's, and the diff between them."""
    cat = cat or catalog()
    current_words = _narrative_words(content, cat)
    previous_words = _narrative_words(previous.content, cat)
    if current_words and previous_words:
        similarity = difflib.SequenceMatcher(None, previous_words, current_words, autojunk=False).ratio()
    else:
        similarity = 0.0
    diff = difflib.unified_diff(
        narrative_lines(previous.content, cat),
        narrative_lines(content, cat),
        fromfile=f"note {previous.note_id} ({date_label(previous.date_of_service)})",
        tofile="this note",
        lineterm="",
    )
    return CloneComparison(
        previous_note_id=previous.note_id,
        previous_date_of_service=previous.date_of_service,
        similarity=similarity,
        diff=tuple(diff),
    )


def check_cloned(facts: NoteFacts, template: NoteTemplate, cat: TemplateCatalog) -> list[Problem]:
    if facts.previous_note is None:
        return []
    comparison = clone_comparison(facts.content, facts.previous_note, cat)
    if comparison.similarity < cat.quality.clone_similarity_threshold:
        return []
    percent = int(comparison.similarity * 100)
    return [
        Problem(
            code=Code.CLONED_NOTE,
            message=f"The narrative is {percent}% the same as note {comparison.previous_note_id} "
            f"of {date_label(comparison.previous_date_of_service)}; payers treat copied notes as unsupported.",
            field="content",
            severity=cat.quality.clone_severity,
            fix_hint="Describe this session: what you did, how the patient responded, what changed.",
        )
    ]


# ---------------------------------------------------------------------------- time


def check_segments(facts: NoteFacts, template: NoteTemplate, cat: TemplateCatalog) -> list[Problem]:
    if not facts.segments:
        return [
            Problem(
                code=Code.NO_SEGMENTS,
                message="The session's actual start and end times are missing.",
                field="segments",
                fix_hint="Enter when the session really started and ended (several stretches if it was split).",
            )
        ]
    zone = facts.timezone
    problems = []
    for index, segment in enumerate(facts.segments):
        start = _utc(segment.starts_at)
        end = _utc(segment.ends_at)
        number = index + 1
        if end < start:
            problems.append(
                Problem(
                    code=Code.SEGMENT_ENDS_BEFORE_START,
                    message=f"Time {number} ends ({segment.ends_at.astimezone(zone):%Y-%m-%d %H:%M}) before it "
                    f"starts ({segment.starts_at.astimezone(zone):%Y-%m-%d %H:%M}).",
                    field=f"segments[{index}].ends_at",
                    fix_hint="Check AM/PM; a session that runs past midnight ends on the next day.",
                )
            )
        elif end == start:
            problems.append(
                Problem(
                    code=Code.SEGMENT_ZERO_LENGTH,
                    message=f"Time {number} starts and ends at the same moment.",
                    field=f"segments[{index}].ends_at",
                    fix_hint="Enter the real end time, or remove this time.",
                )
            )
        elif end > _utc(facts.now):
            problems.append(
                Problem(
                    code=Code.SEGMENT_IN_FUTURE,
                    message=f"Time {number} ends in the future ({_span(segment, zone)}).",
                    field=f"segments[{index}].ends_at",
                    fix_hint="Sign the note after the session has ended, with the actual times.",
                )
            )
    for later in range(1, len(facts.segments)):
        for earlier in range(later):
            if segments_overlap(facts.segments[earlier], facts.segments[later]):
                problems.append(
                    Problem(
                        code=Code.SEGMENTS_OVERLAP,
                        message=f"Time {later + 1} overlaps time {earlier + 1}.",
                        field=f"segments[{later}]",
                        fix_hint="Each stretch of time is counted once: make the times follow each other.",
                    )
                )
                break
    return problems


def check_date_of_service(facts: NoteFacts, template: NoteTemplate, cat: TemplateCatalog) -> list[Problem]:
    valid = [s for s in facts.segments if is_valid_segment(s)]
    if not valid:
        return []
    zone = facts.timezone
    first = min(valid, key=lambda s: _utc(s.starts_at))
    started_on = local_date(first.starts_at, zone)
    problems = []
    if started_on != facts.date_of_service:
        problems.append(
            Problem(
                code=Code.DATE_OF_SERVICE_MISMATCH,
                message=f"The session started on {date_label(started_on)} (practice time), but the date of "
                f"service is {date_label(facts.date_of_service)}.",
                field="date_of_service",
                fix_hint="The date of service is the day the session started, in the practice's time zone.",
            )
        )
    for index, segment in enumerate(facts.segments):
        if crosses_midnight(segment, zone):
            problems.append(
                Problem(
                    code=Code.CROSSES_MIDNIGHT,
                    message=f"Time {index + 1} runs past midnight ({_span(segment, zone)}).",
                    field=f"segments[{index}]",
                    severity=WARNING,
                    fix_hint="It is billed on the day it started; some payers want one line per calendar day.",
                )
            )
    return problems


def check_minimum_time(facts: NoteFacts, template: NoteTemplate, cat: TemplateCatalog) -> list[Problem]:
    if not template.timed or not any(is_valid_segment(s) for s in facts.segments):
        return []
    minutes = session_minutes(facts.segments)
    if minutes >= template.min_minutes:
        return []
    if template.short_time_bills_as is not None:
        fallback = cat.templates[template.short_time_bills_as]
        if minutes >= fallback.min_minutes:
            return [
                Problem(
                    code=Code.BILLS_AS_OTHER_SERVICE,
                    message=f"{minutes} minutes documented; {template.label.lower()} needs at least "
                    f"{template.min_minutes}, so this session bills as {fallback.label.lower()}.",
                    field="segments",
                    severity=WARNING,
                    fix_hint="Check the times. If they are right, the note is valid and codes as "
                    f"{fallback.label.lower()}.",
                )
            ]
        return [
            Problem(
                code=Code.TIME_TOO_SHORT,
                message=f"{minutes} minutes documented; {template.label.lower()} needs at least "
                f"{template.min_minutes} (and {fallback.label.lower()} at least {fallback.min_minutes}).",
                field="segments",
                fix_hint="Check the times. A shorter session cannot be billed as this service.",
            )
        ]
    return [
        Problem(
            code=Code.TIME_TOO_SHORT,
            message=f"{minutes} minute{'s' if minutes != 1 else ''} documented; {template.label.lower()} "
            f"needs at least {template.min_minutes}.",
            field="segments",
            fix_hint="Check the times. A shorter session cannot be billed as this service.",
        )
    ]


def check_other_sessions(facts: NoteFacts, template: NoteTemplate, cat: TemplateCatalog) -> list[Problem]:
    zone = facts.timezone
    problems = []
    for other in facts.other_sessions:
        if facts.note_id is not None and other.note_id == facts.note_id:
            continue
        clash = next(
            (
                theirs
                for ours in facts.segments
                for theirs in other.segments
                if segments_overlap(ours, theirs)
            ),
            None,
        )
        if clash is None:
            continue
        if other.provider_id == facts.provider_id:
            if facts.group_session_id is not None and facts.group_session_id == other.group_session_id:
                continue  # one group session, one note per member: same times on purpose
            problems.append(
                Problem(
                    code=Code.PROVIDER_OVERLAP,
                    message=f"This session overlaps another of your sessions (note {other.note_id}, "
                    f"{_span(clash, zone)}).",
                    field="segments",
                    fix_hint="A provider cannot render two sessions at once: correct the times of one of them.",
                )
            )
        elif other.patient_id == facts.patient_id:
            if frozenset({facts.service_type, other.service_type}) in ABA_CONCURRENT_PAIRS:
                problems.append(
                    Problem(
                        code=Code.ABA_CONCURRENT_SERVICES,
                        message=f"Overlaps the patient's {cat.templates[other.service_type].label.lower()} "
                        f"session (note {other.note_id}, {_span(clash, zone)}): technician treatment "
                        "(97153) alongside protocol modification (97155).",
                        field="segments",
                        severity=WARNING,
                        fix_hint="Allowed when the analyst directs the technician with the patient present; "
                        "confirm the payer accepts concurrent billing.",
                    )
                )
            else:
                problems.append(
                    Problem(
                        code=Code.PATIENT_OVERLAP,
                        message=f"The patient was in another provider's session at the same time "
                        f"(note {other.note_id}, {_span(clash, zone)}).",
                        field="segments",
                        fix_hint="A patient cannot receive two separate services at once: check both sets of times.",
                    )
                )
    return problems


# ---------------------------------------------------------------------------- clinical links


def check_diagnoses(facts: NoteFacts, template: NoteTemplate, cat: TemplateCatalog) -> list[Problem]:
    problems = []
    if template.diagnosis_required and not facts.diagnosis_ids:
        problems.append(
            Problem(
                code=Code.DIAGNOSIS_MISSING,
                message="No diagnosis is addressed.",
                field="diagnoses",
                fix_hint="Pick the diagnoses from the patient's problem list that this session treated.",
            )
        )
    known = {d.diagnosis_id: d for d in facts.patient_diagnoses}
    for position, diagnosis_id in enumerate(facts.diagnosis_ids):
        fact = known.get(diagnosis_id)
        if fact is None:
            problems.append(
                Problem(
                    code=Code.DIAGNOSIS_NOT_PATIENTS,
                    message="A diagnosis addressed is not on this patient's problem list.",
                    field=f"diagnoses[{position}]",
                    fix_hint="Choose from the patient's diagnoses.",
                )
            )
        elif not fact.active_on(facts.date_of_service):
            when = (
                f"resolved {date_label(fact.resolved_on)}"
                if fact.resolved_on is not None and fact.resolved_on < facts.date_of_service
                else f"onset {date_label(fact.onset_on) if fact.onset_on else 'unknown'}"
            )
            problems.append(
                Problem(
                    code=Code.DIAGNOSIS_NOT_ACTIVE,
                    message=f"Diagnosis {format_icd10(fact.code)} was not active on "
                    f"{date_label(facts.date_of_service)} ({when}).",
                    field=f"diagnoses[{position}]",
                    fix_hint="Address a diagnosis active on the date of service, or update the problem list.",
                )
            )
    return problems


def check_measurements(facts: NoteFacts, template: NoteTemplate, cat: TemplateCatalog) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for index, measurement in enumerate(facts.measurements):
        instrument = cat.instruments.get(measurement.instrument)
        if measurement.instrument in seen:
            problems.append(
                Problem(
                    code=Code.MEASUREMENT_REPEATED,
                    message=f"{measurement.instrument} is recorded twice.",
                    field=f"measurements[{index}].instrument",
                    fix_hint="Record each instrument once per session.",
                )
            )
        seen.add(measurement.instrument)
        if instrument is None:
            problems.append(
                Problem(
                    code=Code.MEASUREMENT_UNKNOWN_INSTRUMENT,
                    message=f"'{measurement.instrument}' is not a known measurement instrument.",
                    field=f"measurements[{index}].instrument",
                    fix_hint="Choose an instrument from the list.",
                )
            )
        elif not instrument.accepts(measurement.score):
            problems.append(
                Problem(
                    code=Code.MEASUREMENT_OUT_OF_RANGE,
                    message=f"{instrument.label} score {measurement.score} is outside "
                    f"{instrument.min_score}–{instrument.max_score}.",
                    field=f"measurements[{index}].score",
                    fix_hint="Re-add the item scores; the total must be within the instrument's range.",
                )
            )
    return problems


def check_plan_review(facts: NoteFacts, template: NoteTemplate, cat: TemplateCatalog) -> list[Problem]:
    plan = facts.treatment_plan
    if plan is None or plan.review_on >= facts.date_of_service:
        return []
    return [
        Problem(
            code=Code.TREATMENT_PLAN_REVIEW_PASSED,
            message=f"The treatment plan's review date ({date_label(plan.review_on)}) passed before "
            "this session.",
            field="goals",
            severity=WARNING,
            fix_hint="Review and update the treatment plan with the patient.",
        )
    ]


def check_em_level(facts: NoteFacts, template: NoteTemplate, cat: TemplateCatalog) -> list[Problem]:
    """The E/M level of a psychotherapy-with-E/M note and what supports it: the total E/M time
    on the date (at least the level's minutes) or the medical decision making described."""
    code = facts.content.get("em_code")
    basis = facts.content.get("em_basis")
    level = cat.em_levels.get(code) if isinstance(code, str) else None
    if "em_code" not in template.fields or level is None:
        return []
    if basis == "time":
        minutes = facts.content.get("em_minutes")
        if not isinstance(minutes, int) or isinstance(minutes, bool):
            return [
                Problem(
                    code=Code.EM_LEVEL_NOT_SUPPORTED,
                    message=f"{level.code} is supported by time, but the E/M time on the date is not recorded.",
                    field="content.em_minutes",
                    fix_hint="Record your total E/M time on the date (without the psychotherapy minutes).",
                )
            ]
        if minutes < level.min_minutes:
            lower = [
                lv.code
                for lv in cat.em_levels.values()
                if lv.code[:4] == level.code[:4] and lv.min_minutes <= minutes
            ]
            hint = (
                f"Choose {lower[-1]}, or support the level by medical decision making."
                if lower
                else "Support the level by medical decision making instead."
            )
            return [
                Problem(
                    code=Code.EM_LEVEL_NOT_SUPPORTED,
                    message=(
                        f"{level.code} by time needs at least {level.min_minutes} minutes of E/M time on the date; "
                        f"{minutes} are recorded."
                    ),
                    field="content.em_minutes",
                    fix_hint=hint,
                )
            ]
        return []
    if basis == "mdm" and not _text(facts.content, "em_decision_making"):
        return [
            Problem(
                code=Code.EM_LEVEL_NOT_SUPPORTED,
                message=(
                    f"{level.code} is supported by medical decision making ({level.mdm} complexity), but the "
                    "decision making is not described."
                ),
                field="content.em_decision_making",
                fix_hint="Describe the problems addressed, what you reviewed or ordered, and the risk of the "
                "management chosen.",
            )
        ]
    return []


# ---------------------------------------------------------------------------- entry points

Check = Callable[[NoteFacts, NoteTemplate, TemplateCatalog], list[Problem]]

CHECKS: tuple[Check, ...] = (
    check_required_fields,
    check_em_level,
    check_patient_presence,
    check_risk_assessment,
    check_interventions,
    check_patient_response,
    check_boilerplate,
    check_segments,
    check_date_of_service,
    check_minimum_time,
    check_other_sessions,
    check_diagnoses,
    check_measurements,
    check_plan_review,
    check_cloned,
)


@dataclass(frozen=True, slots=True)
class DocumentationReport:
    problems: tuple[Problem, ...]
    minutes: int
    clone: CloneComparison | None

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)


def run_documentation_checks(facts: NoteFacts, cat: TemplateCatalog | None = None) -> list[Problem]:
    """Every documentation check, in a fixed order (errors block signing; warnings are kept)."""
    cat = cat or catalog()
    template = cat.templates[facts.service_type]
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check(facts, template, cat))
    return problems


def documentation_report(facts: NoteFacts, cat: TemplateCatalog | None = None) -> DocumentationReport:
    """The checks plus what the editor shows next to them: minutes counted and the clone diff."""
    cat = cat or catalog()
    return DocumentationReport(
        problems=tuple(run_documentation_checks(facts, cat)),
        minutes=session_minutes(facts.segments),
        clone=clone_comparison(facts.content, facts.previous_note, cat) if facts.previous_note else None,
    )


problem_to_dict = problem_as_dict  # the note's `findings` and the API's `extra.problems`
