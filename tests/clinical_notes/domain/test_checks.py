"""Pure-rule tests for every documentation check (no database)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from clinical_notes.domain.checks import (
    check_cloned,
    clone_comparison,
    crosses_midnight,
    documentation_report,
    run_documentation_checks,
    segment_minutes,
    session_minutes,
)
from clinical_notes.domain.codes import NoteProblemCode as Code
from clinical_notes.domain.templates import catalog, note_template_for
from clinical_notes.domain.types import (
    DiagnosisFact,
    Measurement,
    OtherSession,
    PlanReview,
    PreviousNote,
)
from core.domain.problems import Severity
from core.domain.service_types import ServiceType
from tests.clinical_notes.domain.facts import DOS, NY, UTC, codes, local, make_facts, seg
from tests.factories.clinical_content import complete_content_for

S = ServiceType


# ---------------------------------------------------------------------------- a complete note


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_a_complete_note_of_every_service_type_has_no_problems(service_type):
    # given a note filled per its template, 53 minutes, an active diagnosis
    facts = make_facts(service_type)
    # when
    problems = run_documentation_checks(facts)
    # then
    assert problems == []


# ---------------------------------------------------------------------------- required fields


def _required_text_fields():
    cases = []
    for service_type in ServiceType:
        template = note_template_for(service_type)
        for key in template.required_fields:
            if key in {"participants", "interventions", "patient_response"}:
                continue
            if template.risk_assessment_required and key in {"risk_factors", "safety_plan"}:
                continue
            cases.append((f"{service_type.value}:{key}", service_type, key))
    return cases


@pytest.mark.parametrize(("_case", "service_type", "key"), _required_text_fields())
def test_each_missing_required_field_is_one_error_naming_the_field(_case, service_type, key):
    # given a complete note without one required field
    facts = make_facts(service_type, drop=(key,))
    # when
    problems = run_documentation_checks(facts)
    # then
    assert [(p.code, p.field, p.severity) for p in problems] == [
        (Code.MISSING_REQUIRED_FIELD, f"content.{key}", Severity.ERROR)
    ]
    assert problems[0].message.endswith(f"is required for {note_template_for(service_type).label.lower()}.")


def test_a_blank_required_field_counts_as_missing():
    content = complete_content_for(S.INDIVIDUAL_PSYCHOTHERAPY, seed=1) | {"plan": "   "}
    problems = run_documentation_checks(make_facts(content=content))
    assert [(p.code, p.field) for p in problems] == [(Code.MISSING_REQUIRED_FIELD, "content.plan")]
    assert problems[0].message == "Plan is required for individual psychotherapy."


# ---------------------------------------------------------------------------- patient presence


@pytest.mark.parametrize(
    ("_case", "service_type", "present", "expected"),
    [
        ("family without patient, patient absent", S.FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT, False, []),
        (
            "family without patient, patient present",
            S.FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT,
            True,
            ["patient_presence_mismatch"],
        ),
        ("family with patient, patient present", S.FAMILY_PSYCHOTHERAPY_WITH_PATIENT, True, []),
        (
            "family with patient, patient absent",
            S.FAMILY_PSYCHOTHERAPY_WITH_PATIENT,
            False,
            ["patient_presence_mismatch"],
        ),
        ("psychotherapy, patient absent", S.INDIVIDUAL_PSYCHOTHERAPY, False, ["patient_presence_mismatch"]),
        ("ABA family guidance either way", S.ABA_FAMILY_GUIDANCE, False, []),
        ("case management either way", S.CASE_MANAGEMENT, True, []),
    ],
)
def test_patient_presence_must_match_the_service(_case, service_type, present, expected):
    content = complete_content_for(service_type, seed=1, patient_present=present)
    assert codes(run_documentation_checks(make_facts(service_type, content=content))) == expected


def test_presence_not_stated_is_an_error_on_the_participants_field():
    content = complete_content_for(S.FAMILY_PSYCHOTHERAPY_WITH_PATIENT, seed=1) | {
        "participants": {"others": "aunt"}
    }
    problems = run_documentation_checks(make_facts(S.FAMILY_PSYCHOTHERAPY_WITH_PATIENT, content=content))
    assert [(p.code, p.field) for p in problems] == [
        (Code.PATIENT_PRESENCE_MISSING, "content.participants.patient_present")
    ]


def test_presence_mismatch_explains_which_way():
    content = complete_content_for(S.FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT, seed=1, patient_present=True)
    (problem,) = run_documentation_checks(make_facts(S.FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT, content=content))
    assert problem.message == (
        "The patient was present, but family psychotherapy, patient absent is billed only without the patient."
    )


# ---------------------------------------------------------------------------- risk assessment


@pytest.mark.parametrize("service_type", [S.CRISIS_PSYCHOTHERAPY, S.CRISIS_INTERVENTION_SERVICE])
@pytest.mark.parametrize("missing", ["risk_factors", "safety_plan"])
def test_crisis_services_need_a_risk_assessment_and_safety_plan(service_type, missing):
    problems = run_documentation_checks(make_facts(service_type, minutes=45, drop=(missing,)))
    assert [(p.code, p.field) for p in problems] == [(Code.RISK_ASSESSMENT_MISSING, f"content.{missing}")]


def test_risk_assessment_is_optional_for_psychotherapy():
    problems = run_documentation_checks(
        make_facts(S.INDIVIDUAL_PSYCHOTHERAPY, drop=("risk_factors", "safety_plan"))
    )
    assert problems == []


# ---------------------------------------------------------------------------- vague content


@pytest.mark.parametrize(
    ("_case", "changes", "expected"),
    [
        (
            "no intervention selected",
            {"interventions": []},
            [(Code.NO_INTERVENTION_SELECTED, Severity.ERROR)],
        ),
        (
            "unknown intervention code",
            {"interventions": ["cbt_restructuring", "dtt"]},
            [(Code.UNKNOWN_INTERVENTION, Severity.ERROR)],
        ),
        (
            "'other' without a description",
            {"interventions": ["other"], "interventions_other": ""},
            [(Code.OTHER_INTERVENTION_UNDESCRIBED, Severity.ERROR)],
        ),
        (
            "'other' described",
            {
                "interventions": ["other"],
                "interventions_other": "Narrative exposure with a timeline of the week.",
            },
            [],
        ),
        ("no patient response", {"patient_response": ""}, [(Code.NO_PATIENT_RESPONSE, Severity.ERROR)]),
        (
            "response of 7 words",
            {"patient_response": "Client named three coping skills with prompting."},
            [(Code.RESPONSE_TOO_SHORT, Severity.WARNING)],
        ),
        (
            "response of 8 words",
            {"patient_response": "Client named three coping skills with minimal prompting."},
            [],
        ),
        (
            "boilerplate response",
            {"patient_response": "Patient tolerated the session well and is doing well."},
            [(Code.BOILERPLATE_TEXT, Severity.WARNING)],
        ),
        (
            "boilerplate plan",
            {"plan": "Continue current plan."},
            [(Code.BOILERPLATE_TEXT, Severity.WARNING)],
        ),
        (
            "stock phrase inside real content",
            {
                "patient_response": "Tolerated session well; rated anxiety 6/10 before exposure and 3/10 after "
                "two rounds of the elevator step.",
            },
            [],
        ),
    ],
)
def test_vague_content(_case, changes, expected):
    content = complete_content_for(S.INDIVIDUAL_PSYCHOTHERAPY, seed=1) | changes
    problems = run_documentation_checks(make_facts(content=content))
    assert [(p.code, p.severity) for p in problems] == expected


def test_a_short_response_says_how_many_words():
    content = complete_content_for(S.INDIVIDUAL_PSYCHOTHERAPY, seed=1) | {"patient_response": "Engaged."}
    (problem,) = run_documentation_checks(make_facts(content=content))
    assert problem.message == "Response to interventions has 1 word; payers read that as vague."
    assert problem.fix_hint.startswith("Write at least 8 words")


# ---------------------------------------------------------------------------- segments


def test_no_segments_is_an_error():
    problems = run_documentation_checks(make_facts(segments=()))
    assert [(p.code, p.field) for p in problems] == [(Code.NO_SEGMENTS, "segments")]


@pytest.mark.parametrize(
    ("_case", "start", "end", "expected"),
    [
        ("end before start", local(2026, 3, 9, 11), local(2026, 3, 9, 10), Code.SEGMENT_ENDS_BEFORE_START),
        ("zero length", local(2026, 3, 9, 10), local(2026, 3, 9, 10), Code.SEGMENT_ZERO_LENGTH),
        (
            "ends in the future",
            local(2026, 3, 10, 11, 30),
            local(2026, 3, 10, 12, 30),
            Code.SEGMENT_IN_FUTURE,
        ),
    ],
)
def test_invalid_segment_times(_case, start, end, expected):
    facts = make_facts(segments=(seg(start, end=end),), date_of_service=start.date())
    problems = run_documentation_checks(facts)
    assert [(p.code, p.field) for p in problems] == [(expected, "segments[0].ends_at")]


def test_end_before_start_shows_both_local_times():
    facts = make_facts(segments=(seg(local(2026, 3, 9, 11), end=local(2026, 3, 9, 10)),))
    (problem,) = run_documentation_checks(facts)
    assert problem.message == "Time 1 ends (2026-03-09 10:00) before it starts (2026-03-09 11:00)."


def test_overlapping_segments_are_an_error_and_touching_ones_are_not():
    overlapping = make_facts(segments=(seg(local(2026, 3, 9, 10), 30), seg(local(2026, 3, 9, 10, 20), 30)))
    touching = make_facts(segments=(seg(local(2026, 3, 9, 10), 30), seg(local(2026, 3, 9, 10, 30), 30)))
    assert [(p.code, p.field) for p in run_documentation_checks(overlapping)] == [
        (Code.SEGMENTS_OVERLAP, "segments[1]")
    ]
    assert run_documentation_checks(touching) == []


def test_split_session_minutes_add_up():
    facts = make_facts(segments=(seg(local(2026, 3, 9, 10), 10), seg(local(2026, 3, 9, 14), 7)))
    assert session_minutes(facts.segments) == 17
    assert run_documentation_checks(facts) == []


# ---------------------------------------------------------------------------- time too short


@pytest.mark.parametrize(
    ("_case", "service_type", "minutes", "expected"),
    [
        ("psychotherapy 15", S.INDIVIDUAL_PSYCHOTHERAPY, 15, [(Code.TIME_TOO_SHORT, Severity.ERROR)]),
        ("psychotherapy 16", S.INDIVIDUAL_PSYCHOTHERAPY, 16, []),
        (
            "psychotherapy with E/M 15",
            S.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM,
            15,
            [(Code.TIME_TOO_SHORT, Severity.ERROR)],
        ),
        ("family 25", S.FAMILY_PSYCHOTHERAPY_WITH_PATIENT, 25, [(Code.TIME_TOO_SHORT, Severity.ERROR)]),
        ("family 26", S.FAMILY_PSYCHOTHERAPY_WITH_PATIENT, 26, []),
        (
            "family without patient 25",
            S.FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT,
            25,
            [(Code.TIME_TOO_SHORT, Severity.ERROR)],
        ),
        (
            "crisis 29 bills as psychotherapy",
            S.CRISIS_PSYCHOTHERAPY,
            29,
            [(Code.BILLS_AS_OTHER_SERVICE, Severity.WARNING)],
        ),
        ("crisis 30", S.CRISIS_PSYCHOTHERAPY, 30, []),
        (
            "crisis 16 bills as psychotherapy",
            S.CRISIS_PSYCHOTHERAPY,
            16,
            [(Code.BILLS_AS_OTHER_SERVICE, Severity.WARNING)],
        ),
        ("crisis 15", S.CRISIS_PSYCHOTHERAPY, 15, [(Code.TIME_TOO_SHORT, Severity.ERROR)]),
        ("ABA technician 7", S.ABA_TECHNICIAN_TREATMENT, 7, [(Code.TIME_TOO_SHORT, Severity.ERROR)]),
        ("ABA technician 8", S.ABA_TECHNICIAN_TREATMENT, 8, []),
        ("H2019 7", S.THERAPEUTIC_BEHAVIORAL_SERVICES, 7, [(Code.TIME_TOO_SHORT, Severity.ERROR)]),
        ("group (untimed) 1", S.GROUP_PSYCHOTHERAPY, 1, []),
        ("diagnostic evaluation (untimed) 1", S.DIAGNOSTIC_EVALUATION, 1, []),
    ],
)
def test_minimum_minutes_per_service(_case, service_type, minutes, expected):
    problems = run_documentation_checks(make_facts(service_type, minutes=minutes))
    assert [(p.code, p.severity) for p in problems] == expected


def test_seconds_do_not_round_up():
    start = local(2026, 3, 9, 10)
    facts = make_facts(segments=(seg(start, end=start + dt.timedelta(minutes=15, seconds=59)),))
    assert [p.code for p in run_documentation_checks(facts)] == [Code.TIME_TOO_SHORT]


def test_crisis_below_thirty_minutes_says_what_it_bills_as():
    (problem,) = run_documentation_checks(make_facts(S.CRISIS_PSYCHOTHERAPY, minutes=25))
    assert problem.message == (
        "25 minutes documented; crisis psychotherapy needs at least 30, so this session bills as "
        "individual psychotherapy."
    )


# ---------------------------------------------------------------------------- time zone, midnight, DST


def test_date_of_service_is_the_local_start_date_not_the_utc_date():
    # given 23:30 New York on 2026-03-09 = 03:30 UTC on 2026-03-10
    start = dt.datetime(2026, 3, 10, 3, 30, tzinfo=UTC)
    on_local_day = make_facts(segments=(seg(start, 20),), date_of_service=dt.date(2026, 3, 9))
    on_utc_day = make_facts(segments=(seg(start, 20),), date_of_service=dt.date(2026, 3, 10))
    # then
    assert run_documentation_checks(on_local_day) == []
    (problem,) = run_documentation_checks(on_utc_day)
    assert (problem.code, problem.field) == (Code.DATE_OF_SERVICE_MISMATCH, "date_of_service")
    assert problem.message == (
        "The session started on Mon 9 Mar 2026 (practice time), but the date of service is Tue 10 Mar 2026."
    )


def test_a_session_crossing_midnight_is_a_warning_and_counts_all_its_minutes():
    facts = make_facts(segments=(seg(local(2026, 3, 9, 23, 40), 40),))
    problems = run_documentation_checks(facts)
    assert [(p.code, p.severity, p.field) for p in problems] == [
        (Code.CROSSES_MIDNIGHT, Severity.WARNING, "segments[0]")
    ]
    assert problems[0].message == "Time 1 runs past midnight (2026-03-09 23:40–00:20)."
    assert session_minutes(facts.segments) == 40


def test_ending_exactly_at_midnight_does_not_cross_it():
    segment = seg(local(2026, 3, 9, 23), end=local(2026, 3, 10, 0))
    assert crosses_midnight(segment, NY) is False
    assert run_documentation_checks(make_facts(segments=(segment,))) == []


def test_spring_forward_day_counts_real_minutes():
    # given 2026-03-08 in New York: clocks jump from 02:00 EST to 03:00 EDT
    start, end = local(2026, 3, 8, 1, 30), local(2026, 3, 8, 3, 30)
    segment = seg(start, end=end)
    # then wall-clock difference is 2 hours, real time is 1 hour
    assert segment_minutes(segment) == 60
    facts = make_facts(segments=(segment,), date_of_service=dt.date(2026, 3, 8))
    assert run_documentation_checks(facts) == []


def test_spring_forward_day_short_session_is_too_short_even_if_the_wall_clock_says_75_minutes():
    # 01:50 EST → 03:05 EDT is 15 real minutes
    segment = seg(local(2026, 3, 8, 1, 50), end=local(2026, 3, 8, 3, 5))
    facts = make_facts(segments=(segment,), date_of_service=dt.date(2026, 3, 8))
    assert segment_minutes(segment) == 15
    assert codes(run_documentation_checks(facts)) == ["time_too_short"]


def test_fall_back_day_a_session_ending_at_an_earlier_wall_time_is_valid():
    # given 2026-11-01 in New York: 01:20 EDT (first 01:xx) → 01:05 EST (second 01:xx) = 45 minutes
    start = local(2026, 11, 1, 1, 20, fold=0)
    end = local(2026, 11, 1, 1, 5, fold=1)
    facts = make_facts(
        segments=(seg(start, end=end),),
        date_of_service=dt.date(2026, 11, 1),
        now=dt.datetime(2026, 11, 2, tzinfo=UTC),
    )
    assert segment_minutes(seg(start, end=end)) == 45
    assert run_documentation_checks(facts) == []


def test_fall_back_day_two_hour_wall_clock_session_is_three_real_hours():
    segment = seg(local(2026, 11, 1, 0, 30), end=local(2026, 11, 1, 2, 30))
    assert segment_minutes(segment) == 180


# ---------------------------------------------------------------------------- other sessions


def _other(
    *, provider_id, patient_id, service_type=S.INDIVIDUAL_PSYCHOTHERAPY, start, minutes, group=None, note_id=2
):
    return OtherSession(
        note_id=note_id,
        provider_id=provider_id,
        patient_id=patient_id,
        service_type=service_type,
        segments=(seg(start, minutes),),
        group_session_id=group,
    )


def test_overlap_with_another_session_of_the_same_provider_is_an_error():
    other = _other(provider_id=200, patient_id=999, start=local(2026, 3, 9, 10, 30), minutes=30)
    problems = run_documentation_checks(make_facts(other_sessions=(other,)))
    assert [(p.code, p.severity) for p in problems] == [(Code.PROVIDER_OVERLAP, Severity.ERROR)]
    assert problems[0].message == (
        "This session overlaps another of your sessions (note 2, 2026-03-09 10:30–11:00)."
    )


def test_back_to_back_sessions_do_not_overlap():
    other = _other(provider_id=200, patient_id=999, start=local(2026, 3, 9, 10, 53), minutes=30)
    assert run_documentation_checks(make_facts(other_sessions=(other,))) == []


def test_notes_of_one_group_session_share_its_times():
    other = _other(
        provider_id=200,
        patient_id=999,
        service_type=S.GROUP_PSYCHOTHERAPY,
        start=local(2026, 3, 9, 10),
        minutes=53,
        group=7,
    )
    facts = make_facts(S.GROUP_PSYCHOTHERAPY, other_sessions=(other,), group_session_id=7)
    other_group = make_facts(S.GROUP_PSYCHOTHERAPY, other_sessions=(other,), group_session_id=8)
    assert run_documentation_checks(facts) == []
    assert codes(run_documentation_checks(other_group)) == ["provider_overlap"]


def test_the_same_patient_with_another_provider_at_the_same_time_is_an_error():
    other = _other(provider_id=300, patient_id=100, start=local(2026, 3, 9, 9, 30), minutes=60)
    problems = run_documentation_checks(make_facts(other_sessions=(other,)))
    assert [(p.code, p.severity) for p in problems] == [(Code.PATIENT_OVERLAP, Severity.ERROR)]


@pytest.mark.parametrize(
    ("_case", "ours", "theirs", "expected"),
    [
        (
            "97153 with 97155 is a concurrent pair",
            S.ABA_TECHNICIAN_TREATMENT,
            S.ABA_PROTOCOL_MODIFICATION,
            [(Code.ABA_CONCURRENT_SERVICES, Severity.WARNING)],
        ),
        (
            "97155 with 97153, seen from the analyst's note",
            S.ABA_PROTOCOL_MODIFICATION,
            S.ABA_TECHNICIAN_TREATMENT,
            [(Code.ABA_CONCURRENT_SERVICES, Severity.WARNING)],
        ),
        (
            "two technicians at once",
            S.ABA_TECHNICIAN_TREATMENT,
            S.ABA_TECHNICIAN_TREATMENT,
            [(Code.PATIENT_OVERLAP, Severity.ERROR)],
        ),
        (
            "97153 with family guidance",
            S.ABA_TECHNICIAN_TREATMENT,
            S.ABA_FAMILY_GUIDANCE,
            [(Code.PATIENT_OVERLAP, Severity.ERROR)],
        ),
    ],
)
def test_concurrent_aba_codes(_case, ours, theirs, expected):
    other = _other(
        provider_id=300, patient_id=100, service_type=theirs, start=local(2026, 3, 9, 10), minutes=30
    )
    problems = run_documentation_checks(make_facts(ours, other_sessions=(other,)))
    assert [(p.code, p.severity) for p in problems] == expected


def test_another_providers_session_with_another_patient_is_not_our_business():
    other = _other(provider_id=300, patient_id=999, start=local(2026, 3, 9, 10), minutes=30)
    assert run_documentation_checks(make_facts(other_sessions=(other,))) == []


# ---------------------------------------------------------------------------- diagnoses


@pytest.mark.parametrize(
    ("_case", "diagnosis", "expected"),
    [
        ("active, no end", DiagnosisFact(11, "F411", dt.date(2025, 1, 1), None), []),
        ("resolved on the date of service", DiagnosisFact(11, "F411", dt.date(2025, 1, 1), DOS), []),
        (
            "resolved before",
            DiagnosisFact(11, "F411", dt.date(2025, 1, 1), dt.date(2026, 2, 1)),
            [Code.DIAGNOSIS_NOT_ACTIVE],
        ),
        ("onset after", DiagnosisFact(11, "F411", dt.date(2026, 3, 10), None), [Code.DIAGNOSIS_NOT_ACTIVE]),
        ("onset unknown", DiagnosisFact(11, "F411", None, None), []),
    ],
)
def test_diagnosis_must_be_active_on_the_date_of_service(_case, diagnosis, expected):
    facts = make_facts(patient_diagnoses=(diagnosis,))
    assert [p.code for p in run_documentation_checks(facts)] == expected


def test_inactive_diagnosis_message_names_the_code_and_dates():
    facts = make_facts(
        patient_diagnoses=(DiagnosisFact(11, "F4310", dt.date(2025, 1, 1), dt.date(2026, 2, 1)),)
    )
    (problem,) = run_documentation_checks(facts)
    assert problem.message == "Diagnosis F43.10 was not active on Mon 9 Mar 2026 (resolved Sun 1 Feb 2026)."
    assert problem.field == "diagnoses[0]"


def test_no_diagnosis_and_a_foreign_diagnosis_are_errors():
    assert [p.code for p in run_documentation_checks(make_facts(diagnosis_ids=()))] == [
        Code.DIAGNOSIS_MISSING
    ]
    assert [p.code for p in run_documentation_checks(make_facts(diagnosis_ids=(11, 12)))] == [
        Code.DIAGNOSIS_NOT_PATIENTS
    ]


# ---------------------------------------------------------------------------- measurements


@pytest.mark.parametrize(
    ("_case", "instrument", "score", "expected"),
    [
        ("PHQ-9 lowest", "PHQ9", 0, []),
        ("PHQ-9 highest", "PHQ9", 27, []),
        ("PHQ-9 above", "PHQ9", 28, [Code.MEASUREMENT_OUT_OF_RANGE]),
        ("PHQ-9 below", "PHQ9", -1, [Code.MEASUREMENT_OUT_OF_RANGE]),
        ("GAD-7 highest", "GAD7", 21, []),
        ("GAD-7 above", "GAD7", 22, [Code.MEASUREMENT_OUT_OF_RANGE]),
        ("PCL-5 highest", "PCL5", 80, []),
        ("PCL-5 above", "PCL5", 81, [Code.MEASUREMENT_OUT_OF_RANGE]),
        ("AUDIT above", "AUDIT", 41, [Code.MEASUREMENT_OUT_OF_RANGE]),
        ("C-SSRS highest", "CSSRS", 6, []),
        ("C-SSRS above", "CSSRS", 7, [Code.MEASUREMENT_OUT_OF_RANGE]),
        ("K10 starts at 10", "K10", 9, [Code.MEASUREMENT_OUT_OF_RANGE]),
        ("unknown instrument", "BDI-II", 10, [Code.MEASUREMENT_UNKNOWN_INSTRUMENT]),
    ],
)
def test_measurement_scores_must_be_in_range(_case, instrument, score, expected):
    facts = make_facts(measurements=(Measurement(instrument, score),))
    assert [p.code for p in run_documentation_checks(facts)] == expected


def test_out_of_range_message():
    (problem,) = run_documentation_checks(make_facts(measurements=(Measurement("GAD7", 30),)))
    assert problem.message == "GAD-7 score 30 is outside 0–21."
    assert problem.field == "measurements[0].score"


def test_an_instrument_recorded_twice_is_an_error():
    facts = make_facts(measurements=(Measurement("PHQ9", 4), Measurement("PHQ9", 5)))
    assert [p.code for p in run_documentation_checks(facts)] == [Code.MEASUREMENT_REPEATED]


# ---------------------------------------------------------------------------- treatment plan


@pytest.mark.parametrize(
    ("_case", "review_on", "expected"),
    [
        ("review due after the session", dt.date(2026, 3, 10), []),
        ("review due on the day", DOS, []),
        ("review date passed", dt.date(2026, 3, 8), [(Code.TREATMENT_PLAN_REVIEW_PASSED, Severity.WARNING)]),
    ],
)
def test_treatment_plan_review_date(_case, review_on, expected):
    facts = make_facts(treatment_plan=PlanReview(plan_id=5, review_on=review_on))
    assert [(p.code, p.severity) for p in run_documentation_checks(facts)] == expected


# ---------------------------------------------------------------------------- cloned notes

TEN = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
NINETEEN = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
    "mike",
    "november",
    "oscar",
    "papa",
    "quebec",
    "romeo",
    "sierra",
]


def _with_focus(words: list[str]) -> dict[str, object]:
    return {"session_focus": " ".join(words)}


def _replace(words: list[str], positions: list[int]) -> list[str]:
    return [f"changed{i}" if i in positions else w for i, w in enumerate(words)]


@pytest.mark.parametrize(
    ("_case", "previous", "current", "similarity", "flagged"),
    [
        ("identical", TEN, TEN, 1.0, True),
        ("one word of ten changed: exactly the threshold", TEN, _replace(TEN, [4]), 0.9, True),
        ("one word of nineteen changed: just above", NINETEEN, _replace(NINETEEN, [9]), 18 / 19, True),
        ("two words of nineteen changed: just below", NINETEEN, _replace(NINETEEN, [3, 12]), 17 / 19, False),
        ("two words of ten changed", TEN, _replace(TEN, [2, 7]), 0.8, False),
    ],
)
def test_clone_similarity_threshold(_case, previous, current, similarity, flagged):
    # given two notes whose narratives differ by a few words
    facts = make_facts(
        content=_with_focus(current),
        previous_note=PreviousNote(
            note_id=41, date_of_service=dt.date(2026, 3, 2), content=_with_focus(previous)
        ),
    )
    cat = catalog()
    template = note_template_for(facts.service_type)
    # when
    comparison = clone_comparison(facts.content, facts.previous_note, cat)
    problems = check_cloned(facts, template, cat)
    # then
    assert comparison.similarity == pytest.approx(similarity)
    assert [p.code for p in problems] == ([Code.CLONED_NOTE] if flagged else [])


def test_a_cloned_note_is_a_warning_with_the_percentage_and_a_diff():
    previous = complete_content_for(S.INDIVIDUAL_PSYCHOTHERAPY, seed=7)
    current = previous | {"plan": f"{previous['plan']} Call the school counselor on Friday."}
    facts = make_facts(
        content=current,
        previous_note=PreviousNote(note_id=41, date_of_service=dt.date(2026, 3, 2), content=previous),
    )
    report = documentation_report(facts)
    assert [(p.code, p.severity) for p in report.problems] == [(Code.CLONED_NOTE, Severity.WARNING)]
    percent = int(report.clone.similarity * 100)
    assert report.problems[0].message == (
        f"The narrative is {percent}% the same as note 41 of Mon 2 Mar 2026; payers treat copied notes as unsupported."
    )
    assert report.clone.diff[:2] == ("--- note 41 (Mon 2 Mar 2026)", "+++ this note")
    assert f"-{previous['plan']}" in report.clone.diff
    assert f"+{previous['plan']} Call the school counselor on Friday." in report.clone.diff


def test_different_notes_are_not_clones():
    previous = complete_content_for(S.INDIVIDUAL_PSYCHOTHERAPY, seed=7)
    facts = make_facts(
        previous_note=PreviousNote(note_id=41, date_of_service=dt.date(2026, 3, 2), content=previous)
    )
    report = documentation_report(facts)
    assert report.problems == ()
    assert report.clone is not None
    assert report.clone.similarity < 0.5


# ---------------------------------------------------------------------------- the report


def test_report_counts_minutes_and_splits_errors_from_warnings():
    facts = make_facts(
        segments=(seg(local(2026, 3, 9, 23, 50), 20),),
        measurements=(Measurement("PHQ9", 99),),
    )
    report = documentation_report(facts)
    assert report.minutes == 20
    assert [p.code for p in report.errors] == [Code.MEASUREMENT_OUT_OF_RANGE]
    assert [p.code for p in report.warnings] == [Code.CROSSES_MIDNIGHT]


def test_facts_are_frozen():
    facts = make_facts()
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.note_id = 2  # type: ignore[misc]
