"""Treatment-plan rules (pure): completeness, measurability, dates, life cycle, review overdue."""

import dataclasses
import datetime as dt

import pytest

from core.domain.problems import Severity
from treatment_plans.domain.plans import (
    plan_activate_problems,
    plan_date_problems,
    plan_draft_problems,
    plan_edit_problems,
    plan_review_overdue,
    plan_sign_problems,
)
from treatment_plans.domain.types import (
    GoalDraft,
    ObjectiveDraft,
    PlanCode,
    PlanDraft,
    PlanStatus,
    ProblemDraft,
)
from treatment_plans.models import TreatmentPlan

START = dt.date(2026, 3, 1)
OBJECTIVE = ObjectiveDraft(
    description="Fewer tantrums",
    measure="Tantrums per week",
    target="2 or fewer",
    target_on=dt.date(2026, 6, 1),
)
GOAL = GoalDraft(description="Emotional regulation", interventions="DTT, NET", objectives=(OBJECTIVE,))
PROBLEM = ProblemDraft(description="Tantrums at school", diagnosis_id=7, goals=(GOAL,))
DRAFT = PlanDraft(starts_on=START, review_on=dt.date(2026, 9, 1), problems=(PROBLEM,))


def findings(draft, active=(7,)):
    return [(p.code, p.field, p.severity) for p in plan_draft_problems(draft, active_diagnosis_ids=active)]


def test_domain_statuses_mirror_the_model():
    assert [s.value for s in PlanStatus] == [v for v, _ in TreatmentPlan.Status.choices]


def test_a_complete_plan_has_no_findings():
    assert findings(DRAFT) == []


def with_objective(**changes):
    goal = dataclasses.replace(GOAL, objectives=(dataclasses.replace(OBJECTIVE, **changes),))
    return dataclasses.replace(DRAFT, problems=(dataclasses.replace(PROBLEM, goals=(goal,)),))


E = Severity.ERROR
PATH = "problems[0].goals[0].objectives[0]"


@pytest.mark.parametrize(
    ("_case", "draft", "expected"),
    [
        ("no problems", dataclasses.replace(DRAFT, problems=()), [(PlanCode.NO_PROBLEMS, "problems", E)]),
        (
            "problem without goals",
            dataclasses.replace(DRAFT, problems=(dataclasses.replace(PROBLEM, goals=()),)),
            [(PlanCode.NO_GOALS, "problems[0].goals", E)],
        ),
        (
            "goal without objectives",
            dataclasses.replace(
                DRAFT,
                problems=(dataclasses.replace(PROBLEM, goals=(dataclasses.replace(GOAL, objectives=()),)),),
            ),
            [(PlanCode.NO_OBJECTIVES, "problems[0].goals[0].objectives", E)],
        ),
        (
            "blank problem description",
            dataclasses.replace(DRAFT, problems=(dataclasses.replace(PROBLEM, description="  "),)),
            [(PlanCode.DESCRIPTION_REQUIRED, "problems[0].description", E)],
        ),
        (
            "objective without a measure",
            with_objective(measure=""),
            [(PlanCode.NOT_MEASURABLE, f"{PATH}.measure", E)],
        ),
        (
            "objective without a target",
            with_objective(target=" "),
            [(PlanCode.NOT_MEASURABLE, f"{PATH}.target", E)],
        ),
        (
            "target date before the start",
            with_objective(target_on=dt.date(2026, 2, 28)),
            [(PlanCode.TARGET_BEFORE_START, f"{PATH}.target_on", E)],
        ),
        ("target date on the start day is fine", with_objective(target_on=START), []),
        ("no target date is fine", with_objective(target_on=None), []),
        (
            "review before start",
            dataclasses.replace(DRAFT, review_on=dt.date(2026, 2, 28)),
            [(PlanCode.REVIEW_BEFORE_START, "review_on", E)],
        ),
        ("review on the start day", dataclasses.replace(DRAFT, review_on=START), []),
        (
            "review exactly a year later",
            dataclasses.replace(DRAFT, review_on=START + dt.timedelta(days=365)),
            [],
        ),
        (
            "review more than a year later",
            dataclasses.replace(DRAFT, review_on=START + dt.timedelta(days=366)),
            [(PlanCode.REVIEW_INTERVAL_LONG, "review_on", Severity.WARNING)],
        ),
    ],
)
def test_plan_draft_problems(_case, draft, expected):
    assert findings(draft) == expected


def test_diagnosis_must_be_active():
    assert findings(DRAFT, active=(8,)) == [(PlanCode.DIAGNOSIS_NOT_ACTIVE, "problems[0].diagnosis_id", E)]
    no_dx = dataclasses.replace(DRAFT, problems=(dataclasses.replace(PROBLEM, diagnosis_id=None),))
    assert findings(no_dx, active=()) == []


def test_paths_index_every_level():
    second = dataclasses.replace(GOAL, objectives=(OBJECTIVE, dataclasses.replace(OBJECTIVE, measure="")))
    draft = dataclasses.replace(DRAFT, problems=(PROBLEM, dataclasses.replace(PROBLEM, goals=(GOAL, second))))
    assert [p.field for p in plan_draft_problems(draft, active_diagnosis_ids=[7])] == [
        "problems[1].goals[1].objectives[1].measure"
    ]


def test_date_problems_alone():
    assert plan_date_problems(START, START) == []


@pytest.mark.parametrize(
    ("status", "signed", "expected"),
    [
        (PlanStatus.DRAFT, False, []),
        (PlanStatus.DRAFT, True, [PlanCode.NOT_EDITABLE]),
        (PlanStatus.ACTIVE, True, [PlanCode.NOT_EDITABLE]),
        (PlanStatus.SUPERSEDED, True, [PlanCode.NOT_EDITABLE]),
    ],
)
def test_plan_edit_problems(status, signed, expected):
    assert [p.code for p in plan_edit_problems(status=status, signed=signed)] == expected


TODAY = dt.date(2026, 3, 10)


@pytest.mark.parametrize(
    ("_case", "kwargs", "expected"),
    [
        ("author signs", {}, []),
        ("supervisor signs", {"signer_is_author": False, "signer_supervises_author": True}, []),
        ("someone else", {"signer_is_author": False}, [PlanCode.SIGNER_NOT_ALLOWED]),
        ("already signed", {"signed": True}, [PlanCode.ALREADY_SIGNED]),
        ("active plan", {"status": PlanStatus.ACTIVE}, [PlanCode.NOT_DRAFT]),
        ("patient signed today", {"patient_signed_on": TODAY}, []),
        (
            "patient signed tomorrow",
            {"patient_signed_on": TODAY + dt.timedelta(days=1)},
            [PlanCode.PATIENT_SIGNED_IN_FUTURE],
        ),
    ],
)
def test_plan_sign_problems(_case, kwargs, expected):
    values = {
        "status": PlanStatus.DRAFT,
        "signed": False,
        "signer_is_author": True,
        "signer_supervises_author": False,
        "patient_signed_on": None,
        "today": TODAY,
    }
    values.update(kwargs)
    assert [p.code for p in plan_sign_problems(**values)] == expected


@pytest.mark.parametrize(
    ("status", "signed", "expected"),
    [
        (PlanStatus.DRAFT, True, []),
        (PlanStatus.DRAFT, False, [PlanCode.NOT_SIGNED]),
        (PlanStatus.ACTIVE, True, [PlanCode.NOT_DRAFT]),
        (PlanStatus.SUPERSEDED, True, [PlanCode.NOT_DRAFT]),
    ],
)
def test_plan_activate_problems(status, signed, expected):
    assert [p.code for p in plan_activate_problems(status=status, signed=signed)] == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 3, 31), None),
        (dt.date(2026, 4, 1), None),  # the review day itself is not overdue
        (
            dt.date(2026, 4, 2),
            "The treatment plan's review was due on Wed 1 Apr 2026 (1 day ago). Review and update the plan.",
        ),
        (
            dt.date(2026, 4, 11),
            "The treatment plan's review was due on Wed 1 Apr 2026 (10 days ago). Review and update the plan.",
        ),
    ],
)
def test_plan_review_overdue(today, expected):
    warning = plan_review_overdue(dt.date(2026, 4, 1), today)
    assert (warning.message if warning else None) == expected
    if warning:
        assert (warning.code, warning.severity, warning.field) == (
            PlanCode.REVIEW_OVERDUE,
            Severity.WARNING,
            "review_on",
        )
