"""The pure eligibility rules at their edges: the plain summary, what changed, when the
scheduled job verifies again, and the problems before a session."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from edi.x271 import AaaError, Benefit, EligibilityTransaction, Entity, PlanDates
from eligibility.domain.changes import VISITS_LOW, ChangeKind, what_changed
from eligibility.domain.problems import LatestCheck, SessionProblem, session_problems
from eligibility.domain.request import CheckFacts, build_request
from eligibility.domain.schedule import ScheduleSettings, in_window, needs_verification
from eligibility.domain.summary import Summary, plain_lines, summarize, summary_from_json, summary_to_json

DOS = date(2026, 3, 10)
ACTIVE = Summary(coverage="covered", reason="Active on the date of service.")


def entry(*benefits: Benefit, **changes: object) -> EligibilityTransaction:
    values: dict[str, object] = {
        "benefits": list(benefits),
        "coverage_status": "active",
        "active": True,
        "plan_dates": PlanDates(plan_begin=date(2026, 1, 1), plan_end=date(2026, 12, 31)),
    }
    values.update(changes)
    return EligibilityTransaction.model_validate(values)


def eb(eb01: str, codes: list[str] | None = None, **values: object) -> Benefit:
    return Benefit.model_validate({"eb01": eb01, "service_types": codes or ["MH"], **values})


# ---- summary ------------------------------------------------------------------------------------


def test_summary_reads_in_network_amounts_and_remaining_periods():
    summary = summarize(
        entry(
            eb("1"),
            eb("B", amount=Decimal("15.00"), time_period="27", in_network=False),
            eb("B", amount=Decimal("20.00"), time_period="27", in_network=True),
            eb("C", amount=Decimal("500.00"), time_period="23"),
            eb("C", amount=Decimal("120.00"), time_period="29"),
            eb("A", percent=Decimal("0.2")),
            eb("F", quantity=Decimal("30"), quantity_qualifier="VS", time_period="23"),
            eb("F", quantity=Decimal("18"), quantity_qualifier="VS", time_period="29"),
        ),
        requested=("MH",),
        service_date=DOS,
    )
    assert plain_lines(summary) == [
        "$20.00 copay per visit",
        "$120.00 of $500.00 deductible left",
        "20% coinsurance",
        "12 of 30 visits used",
    ]
    assert summary_from_json(summary_to_json(summary)) == summary


def test_stc_30_only_is_labelled_general_and_its_copay_is_not_the_therapy_copay():
    # E2
    summary = summarize(
        entry(eb("1", ["30"]), eb("B", ["30"], amount=Decimal("40.00"), time_period="27")),
        requested=("MH",),
        service_date=DOS,
    )
    assert summary.copay is None
    assert plain_lines(summary) == ["General plan coverage; benefits for service type MH were not returned."]


def test_a_carve_out_names_the_administrator_and_never_shows_zero_copay():
    # E1
    administrator = Entity(entity_code="PR", name="MAGELLAN", id_qualifier="PI", id="MAG01")
    summary = summarize(entry(eb("1", related_entities=[administrator])), requested=("MH",), service_date=DOS)
    lines = plain_lines(summary)
    assert lines[0].startswith("Mental health benefits administered by MAGELLAN")
    assert not any("$0" in line for line in lines)


def test_plan_ended_before_the_date_of_service_is_not_covered_on_that_date():
    # E8
    ended = entry(
        eb("1", ["30"]), plan_dates=PlanDates(plan_begin=date(2025, 1, 1), plan_end=DOS - timedelta(days=1))
    )
    assert summarize(ended, requested=("MH",), service_date=DOS).coverage == "not_covered_on_date"
    last_day = entry(eb("1", ["30"]), plan_dates=PlanDates(plan_begin=date(2025, 1, 1), plan_end=DOS))
    assert summarize(last_day, requested=("MH",), service_date=DOS).coverage == "covered"


def test_aaa_72_keeps_code_loop_follow_up_and_the_member_id_hint():
    # E3
    error = AaaError(
        code="72", message="Invalid/missing subscriber/insured ID", level="subscriber", loop="2100C",
        valid_request=False, follow_up_action="C", follow_up_message="Please correct and resubmit",
    )  # fmt: skip
    summary = summarize(entry(errors=[error], coverage_status="unknown"), requested=("MH",), service_date=DOS)
    assert summary.coverage == "rejected"
    (kept,) = summary.errors
    assert (kept["code"], kept["loop"], kept["level"]) == ("72", "2100C", "subscriber")
    assert kept["follow_up"] == "Please correct and resubmit"
    assert "member ID" in kept["hint"]


def test_aaa_42_is_payer_unavailable_not_inactive():
    # E4
    error = AaaError(code="42", message="Unable to respond at current time", level="information_source",
                     loop="2100A", transient=True)  # fmt: skip
    assert (
        summarize(entry(errors=[error]), requested=("MH",), service_date=DOS).coverage == "payer_unavailable"
    )


# ---- what changed -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "before", "after", "expected"),
    [
        ("first check", None, ACTIVE, []),
        ("nothing changed", ACTIVE, ACTIVE, []),
        ("coverage ended", ACTIVE, Summary(coverage="inactive", reason="x"), [ChangeKind.COVERAGE_ENDED]),
        ("coverage restored", Summary(coverage="inactive", reason="x"), ACTIVE, [ChangeKind.COVERAGE_RESTORED]),
        ("deductible met", replace(ACTIVE, deductible_left=Decimal("0.01")), replace(ACTIVE, deductible_left=Decimal("0")), [ChangeKind.DEDUCTIBLE_MET]),
        ("deductible still met", replace(ACTIVE, deductible_left=Decimal("0")), replace(ACTIVE, deductible_left=Decimal("0")), []),
        ("visits down to the threshold", replace(ACTIVE, visits_left=VISITS_LOW + 1), replace(ACTIVE, visits_left=VISITS_LOW), [ChangeKind.VISITS_RUNNING_OUT]),
        ("visits above the threshold", replace(ACTIVE, visits_left=VISITS_LOW + 2), replace(ACTIVE, visits_left=VISITS_LOW + 1), []),
        ("visits used up", replace(ACTIVE, visits_left=1), replace(ACTIVE, visits_left=0), [ChangeKind.VISITS_USED_UP]),
        ("copay changed", replace(ACTIVE, copay=Decimal("20")), replace(ACTIVE, copay=Decimal("25")), [ChangeKind.COPAY_CHANGED]),
        ("auth now required", ACTIVE, replace(ACTIVE, auth_required=True), [ChangeKind.AUTH_NOW_REQUIRED]),
    ],
)  # fmt: skip
def test_what_changed(_case, before, after, expected):  # type: ignore[no-untyped-def]
    assert [c.kind for c in what_changed(before, after)] == expected


def test_which_changes_are_alerts():
    ended = what_changed(ACTIVE, Summary(coverage="inactive", reason="x"))
    copay = what_changed(replace(ACTIVE, copay=Decimal("20")), replace(ACTIVE, copay=Decimal("25")))
    assert [c.alert for c in ended + copay] == [True, False]


# ---- when to verify again -----------------------------------------------------------------------

RULES = ScheduleSettings(days_ahead=7, stale_after_days=30, gap_days=60)
TODAY = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("_case", "last", "previous", "expected"),
    [
        ("never checked", None, TODAY - timedelta(days=7), True),
        ("checked 30 days ago", TODAY - timedelta(days=30), TODAY - timedelta(days=7), False),
        ("checked 31 days ago", TODAY - timedelta(days=31), TODAY - timedelta(days=7), True),
        ("gap of 60 days", TODAY - timedelta(days=70), TODAY + timedelta(days=3) - timedelta(days=60), True),
        ("gap of 61 days, checked 8 days before the return", TODAY - timedelta(days=5), TODAY + timedelta(days=3) - timedelta(days=61), True),
        ("gap of 61 days, checked 7 days before the return", TODAY - timedelta(days=4), TODAY + timedelta(days=3) - timedelta(days=61), False),
        ("gap of 60 days, checked 8 days before", TODAY - timedelta(days=5), TODAY + timedelta(days=3) - timedelta(days=60), False),
        ("first appointment, checked in the run-up", TODAY - timedelta(days=2), None, False),
        ("first appointment, checked 20 days ago", TODAY - timedelta(days=20), None, True),
    ],
)  # fmt: skip
def test_needs_verification(_case, last, previous, expected):  # type: ignore[no-untyped-def]
    result = needs_verification(
        today=TODAY,
        appointment_on=TODAY + timedelta(days=3),
        last_checked_on=last,
        previous_appointment_on=previous,
        settings=RULES,
    )
    assert result is expected


@pytest.mark.parametrize(("days", "expected"), [(-1, False), (0, True), (7, True), (8, False)])
def test_in_window(days, expected):  # type: ignore[no-untyped-def]
    assert in_window(TODAY + timedelta(days=days), today=TODAY, days_ahead=7) is expected


# ---- problems before the session ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "latest", "has_auth", "expected"),
    [
        ("never checked", None, False, [SessionProblem.UNVERIFIED]),
        ("check not finished", LatestCheck(DOS, None), False, [SessionProblem.UNVERIFIED]),
        ("checked 30 days before", LatestCheck(DOS - timedelta(days=30), ACTIVE), False, []),
        ("checked 31 days before", LatestCheck(DOS - timedelta(days=31), ACTIVE), False, [SessionProblem.UNVERIFIED]),
        ("inactive", LatestCheck(DOS, Summary(coverage="inactive", reason="x")), False, [SessionProblem.INACTIVE]),
        ("auth required, none", LatestCheck(DOS, replace(ACTIVE, auth_required=True)), False, [SessionProblem.AUTH_REQUIRED]),
        ("auth required, on file", LatestCheck(DOS, replace(ACTIVE, auth_required=True)), True, []),
    ],
)  # fmt: skip
def test_session_problems(_case, latest, has_auth, expected):  # type: ignore[no-untyped-def]
    assert (
        session_problems(appointment_on=DOS, latest=latest, window_days=30, has_authorization=has_auth)
        == expected
    )


# ---- the request --------------------------------------------------------------------------------

FACTS = CheckFacts(
    patient_first_name="Ana", patient_last_name="Lee", patient_birth_date=date(2015, 2, 3), patient_sex="F",
    member_id="SBX1001", group_number="G1", relationship="18", subscriber_first_name="", subscriber_last_name="",
    subscriber_birth_date=None, subscriber_sex="", payer_name="Sandbox", payer_id="SBXPAYER",
    provider_name="Clinic", provider_npi="1234567893", service_date=DOS, service_types=("MH",),
)  # fmt: skip


def test_self_goes_as_the_subscriber_with_the_member_id():
    request = build_request(FACTS, trace_number="T1")
    assert request.dependent is None
    assert (request.subscriber.last_name, request.subscriber.member_id) == ("Lee", "SBX1001")
    assert request.service_date == DOS


def test_a_child_on_a_parents_card_goes_as_a_dependent_without_an_id():
    # E10
    child = replace(FACTS, relationship="19", subscriber_first_name="Kim", subscriber_last_name="Lee")
    request = build_request(child, trace_number="T1")
    assert request.subscriber.first_name == "Kim"
    assert request.subscriber.member_id == "SBX1001"
    assert request.dependent is not None
    assert (request.dependent.first_name, request.dependent.member_id) == ("Ana", "")
