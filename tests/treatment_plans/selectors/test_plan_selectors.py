"""Treatment-plan reads: scoping (practice, technicians' caseload), audit, the overdue warning."""

import datetime as dt

import pytest

from audit.models import AuditEvent
from core.errors import NotFound, PermissionDenied
from tests.factories.clinical import PlanGoalFactory, PlanProblemFactory, TreatmentPlanFactory
from tests.patients.care_team_cases import edges_around
from treatment_plans.domain.types import PlanStatus
from treatment_plans.selectors import (
    PlanListFilters,
    active_plan_goal_choices,
    plan_get,
    plan_list_for_patient,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(clinic):
    """An overdue active plan (review 2026-03-01; today is 2026-03-10) and an older superseded one."""
    active = TreatmentPlanFactory(
        practice=clinic.practice,
        patient=clinic.patient,
        author=clinic.clinician,
        status="active",
        starts_on=dt.date(2025, 9, 1),
        review_on=dt.date(2026, 3, 1),
    )
    old = TreatmentPlanFactory(
        practice=clinic.practice,
        patient=clinic.patient,
        author=clinic.clinician,
        status="superseded",
        starts_on=dt.date(2025, 1, 1),
        review_on=dt.date(2025, 6, 1),
    )
    problem = PlanProblemFactory(plan=active, description="Elopement", diagnosis=clinic.diagnosis)
    goal = PlanGoalFactory(problem=problem, description="Stay with the group")
    goal.objectives.create(description="No elopement", measure="Incidents per week", target="0")
    return active, old


def test_plan_get_has_the_tree_the_overdue_warning_and_one_view_event(clinic, plans):
    active, _ = plans
    detail = plan_get(access=clinic.access(clinic.tech_user), plan_id=active.pk)
    assert detail.overdue_message == (
        "The treatment plan's review was due on Sun 1 Mar 2026 (9 days ago). Review and update the plan."
    )
    [problem] = detail.problems
    assert (problem.description, problem.diagnosis_label) == ("Elopement", "F84.0 Synthetic diagnosis")
    assert [(o.measure, o.target) for g in problem.goals for o in g.objectives] == [
        ("Incidents per week", "0")
    ]
    assert (detail.can_edit, detail.can_sign, detail.can_activate) == (
        False,
        False,
        False,
    )  # a tech reads only
    [event] = AuditEvent.objects.all()
    assert (event.action, event.category, event.patient_id, event.object_id) == (
        "view",
        "treatment_plan",
        clinic.patient.pk,
        str(active.pk),
    )


def test_superseded_plans_are_not_overdue(clinic, plans):
    _, old = plans
    assert plan_get(access=clinic.access(clinic.clinician_user), plan_id=old.pk).overdue_message == ""


def test_list_shows_the_banner_for_the_active_plan(clinic, plans):
    active, old = plans
    page = plan_list_for_patient(access=clinic.access(clinic.supervisor_user), patient_id=clinic.patient.pk)
    assert [(r.plan_id, r.status, r.review_overdue) for r in page.rows] == [
        (active.pk, "active", True),
        (old.pk, "superseded", False),
    ]
    assert page.overdue_message.startswith("The treatment plan's review was due on Sun 1 Mar 2026")
    assert page.can_create is True
    assert sorted(AuditEvent.objects.values_list("category", "action")) == [
        ("demographics", "view"),
        ("treatment_plan", "list"),
    ]


def test_technician_outside_the_caseload_gets_not_found(clinic):
    plan = TreatmentPlanFactory(
        practice=clinic.practice, patient=clinic.other_patient, author=clinic.clinician
    )
    with pytest.raises(NotFound):
        plan_get(access=clinic.access(clinic.tech_user), plan_id=plan.pk)
    [event] = AuditEvent.objects.all()
    assert (event.outcome, event.object_id) == ("denied", str(plan.pk))
    with pytest.raises(NotFound):
        plan_list_for_patient(access=clinic.access(clinic.tech_user), patient_id=clinic.other_patient.pk)


def test_another_practices_plan_is_not_found(clinic):
    foreign = TreatmentPlanFactory()
    with pytest.raises(NotFound):
        plan_get(access=clinic.access(clinic.clinician_user), plan_id=foreign.pk)


@pytest.mark.parametrize("who", ["biller_user", "admin_user", "compliance_user"])
def test_non_clinical_roles_cannot_read_plans(clinic, plans, who):
    with pytest.raises(PermissionDenied):
        plan_get(access=clinic.access(getattr(clinic, who)), plan_id=plans[0].pk)


def test_active_plan_goal_choices(clinic, plans):
    active, old = plans
    PlanGoalFactory(problem=PlanProblemFactory(plan=old), description="Old goal")
    assert [
        label
        for _, label in active_plan_goal_choices(practice_id=clinic.practice.pk, patient_id=clinic.patient.pk)
    ] == ["Stay with the group"]


def _superseded_plans(clinic, count):
    for day in range(count):
        TreatmentPlanFactory(
            practice=clinic.practice,
            patient=clinic.patient,
            author=clinic.clinician,
            status="superseded",
            starts_on=dt.date(2024, 1, 1) + dt.timedelta(days=day),
            review_on=dt.date(2024, 12, 31),
        )


def test_list_filters_in_the_database_before_a_slice_is_read(clinic, plans):
    # given: 5 more superseded plans (6 superseded in all, 1 active)
    active, old = plans
    _superseded_plans(clinic, 5)

    # when
    page = plan_list_for_patient(
        access=clinic.access(clinic.supervisor_user),
        patient_id=clinic.patient.pk,
        filters=PlanListFilters(status=PlanStatus.SUPERSEDED),
    )

    # then: the count and the slices are of the filtered rows, newest start first
    assert page.rows.count() == 6
    assert [row.status for row in page.rows[0:4]] == ["superseded"] * 4
    assert page.rows[0:1][0].plan_id == old.pk  # started 2025-01-01, after the five of 2024
    assert len(page.rows[4:10]) == 2
    assert active.pk not in {row.plan_id for row in page.rows}
    assert page.overdue_message != ""  # the banner is about the active plan, whatever the filter
    [event] = AuditEvent.objects.filter(category="treatment_plan")
    assert event.detail == "results=6"


@pytest.mark.parametrize(("_case", "extra"), [("few plans", 2), ("many plans", 30)])
def test_a_page_of_the_list_costs_the_same_queries_whatever_the_rows(
    _case, extra, clinic, django_assert_num_queries
):
    # given
    _superseded_plans(clinic, extra)
    access = clinic.access(clinic.supervisor_user)
    plan_list_for_patient(access=access, patient_id=clinic.patient.pk)  # the audit chain exists

    # when / then: the patient (time zone, row, audit event: 5 statements), today, the active
    # plan, the count, the list's audit event (5), one page of plans with their authors
    with django_assert_num_queries(16):
        page = plan_list_for_patient(access=access, patient_id=clinic.patient.pk)
        rows = page.rows[0:25]
    assert len(rows) == min(extra, 25)


@pytest.mark.parametrize(("_case", "starts_on", "ends_on", "visible"), edges_around(dt.date(2026, 3, 10)))
def test_technician_reads_caseload_plans_by_the_care_team_rule(
    clinic, plans, _case, starts_on, ends_on, visible
):
    # given the tech joins or leaves the patient's care team around today (2026-03-10 in New York)
    clinic.patient.care_team.filter(provider=clinic.tech).update(starts_on=starts_on, ends_on=ends_on)
    active, _old = plans
    # when / then
    if visible:
        assert plan_get(access=clinic.access(clinic.tech_user), plan_id=active.pk).plan_id == active.pk
    else:
        with pytest.raises(NotFound):
            plan_get(access=clinic.access(clinic.tech_user), plan_id=active.pk)
