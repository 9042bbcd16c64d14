"""Treatment-plan services: create / edit / sign / activate; nothing written on error; audit."""

import datetime as dt

import pytest

from audit.models import AuditEvent
from core.errors import NotFound, PermissionDenied, ValidationFailed
from tests.factories import PatientFactory, PracticeFactory
from tests.factories.clinical import PatientDiagnosisFactory, SupervisionFactory, TreatmentPlanFactory
from treatment_plans.domain.types import GoalDraft, ObjectiveDraft, PlanDraft, ProblemDraft
from treatment_plans.models import PlanGoal, PlanObjective, PlanProblem, TreatmentPlan
from treatment_plans.services import (
    treatment_plan_activate,
    treatment_plan_create,
    treatment_plan_sign,
    treatment_plan_update,
)

pytestmark = pytest.mark.django_db


def draft(diagnosis_id=None, *, measure="Tantrums per week", review_on=dt.date(2026, 9, 1), problems=1):
    objective = ObjectiveDraft(
        description="Fewer tantrums", measure=measure, target="2 or fewer", target_on=dt.date(2026, 6, 1)
    )
    goal = GoalDraft(
        description="Emotional regulation", interventions="Token economy", objectives=(objective, objective)
    )
    return PlanDraft(
        starts_on=dt.date(2026, 3, 10),
        review_on=review_on,
        problems=tuple(
            ProblemDraft(description=f"Problem {i}", diagnosis_id=diagnosis_id, goals=(goal,))
            for i in range(problems)
        ),
    )


def tree_counts():
    return (
        TreatmentPlan.objects.count(),
        PlanProblem.objects.count(),
        PlanGoal.objects.count(),
        PlanObjective.objects.count(),
        AuditEvent.objects.count(),
    )


def test_create_writes_the_whole_tree_as_a_draft(clinic):
    # when
    plan = treatment_plan_create(
        access=clinic.access(clinic.clinician_user),
        patient_id=clinic.patient.pk,
        draft=draft(clinic.diagnosis.pk),
    )
    # then
    plan.refresh_from_db()
    assert (
        plan.status,
        plan.author_id,
        plan.practice_id,
        plan.starts_on,
        plan.review_on,
        plan.signed_at,
    ) == (
        "draft",
        clinic.clinician.pk,
        clinic.practice.pk,
        dt.date(2026, 3, 10),
        dt.date(2026, 9, 1),
        None,
    )
    [problem] = plan.problems.all()
    assert (problem.description, problem.diagnosis_id, problem.position) == (
        "Problem 0",
        clinic.diagnosis.pk,
        1,
    )
    [goal] = problem.goals.all()
    assert (goal.description, goal.interventions) == ("Emotional regulation", "Token economy")
    assert (
        list(goal.objectives.values_list("measure", "target", "target_on"))
        == [("Tantrums per week", "2 or fewer", dt.date(2026, 6, 1))] * 2
    )
    # the named diagnosis was checked through patients.selectors (one diagnosis view), then the create
    assert list(
        AuditEvent.objects.values_list("action", "category", "patient_id", "object_id", "detail")
    ) == [
        ("view", "diagnosis", clinic.patient.pk, str(clinic.patient.pk), "sections=diagnosis"),
        ("create", "treatment_plan", clinic.patient.pk, str(plan.pk), "problems=1"),
    ]


def test_create_incomplete_plan_writes_nothing(clinic):
    before = tree_counts()
    with pytest.raises(ValidationFailed) as error:
        treatment_plan_create(
            access=clinic.access(clinic.clinician_user), patient_id=clinic.patient.pk, draft=draft(measure="")
        )
    assert error.value.field_errors == {
        "problems[0].goals[0].objectives[0].measure": [
            "Say how progress is measured (e.g. tantrums per week, PHQ-9 score)."
        ],
        "problems[0].goals[0].objectives[1].measure": [
            "Say how progress is measured (e.g. tantrums per week, PHQ-9 score)."
        ],
    }
    assert tree_counts() == before


def test_create_with_another_patients_diagnosis_is_refused(clinic):
    other_dx = PatientDiagnosisFactory(patient=clinic.other_patient, code="F411")
    with pytest.raises(ValidationFailed) as error:
        treatment_plan_create(
            access=clinic.access(clinic.clinician_user),
            patient_id=clinic.patient.pk,
            draft=draft(other_dx.pk),
        )
    assert error.value.field_errors == {
        "problems[0].diagnosis_id": ["Choose one of the patient's active diagnoses."]
    }
    assert TreatmentPlan.objects.count() == 0


def test_create_for_another_practices_patient_is_not_found(clinic):
    foreign = PatientFactory(practice=PracticeFactory())
    with pytest.raises(NotFound):
        treatment_plan_create(
            access=clinic.access(clinic.clinician_user), patient_id=foreign.pk, draft=draft()
        )
    assert TreatmentPlan.objects.count() == 0


@pytest.mark.parametrize("who", ["tech_user", "biller_user", "admin_user", "compliance_user"])
def test_only_clinicians_and_supervisors_write_plans(clinic, who):
    before = tree_counts()
    with pytest.raises(PermissionDenied):
        treatment_plan_create(
            access=clinic.access(getattr(clinic, who)), patient_id=clinic.patient.pk, draft=draft()
        )
    assert tree_counts() == before


def test_update_replaces_the_tree_of_an_unsigned_draft(clinic):
    access = clinic.access(clinic.clinician_user)
    plan = treatment_plan_create(access=access, patient_id=clinic.patient.pk, draft=draft())
    treatment_plan_update(
        access=access, plan_id=plan.pk, draft=draft(problems=2, review_on=dt.date(2026, 8, 1))
    )
    plan.refresh_from_db()
    assert plan.review_on == dt.date(2026, 8, 1)
    assert list(plan.problems.values_list("description", "position")) == [("Problem 0", 1), ("Problem 1", 2)]
    assert PlanObjective.objects.filter(goal__problem__plan=plan).count() == 4
    assert AuditEvent.objects.last().detail == "op=edit;problems=2"


def test_signed_plan_cannot_be_edited(clinic):
    access = clinic.access(clinic.clinician_user)
    plan = treatment_plan_create(access=access, patient_id=clinic.patient.pk, draft=draft())
    treatment_plan_sign(access=access, plan_id=plan.pk)
    before = tree_counts()
    with pytest.raises(ValidationFailed) as error:
        treatment_plan_update(access=access, plan_id=plan.pk, draft=draft(problems=3))
    assert error.value.field_errors == {
        "plan": ["Only an unsigned draft can be edited; write a new plan to change a signed one."]
    }
    assert tree_counts() == before


def test_author_signs_with_patient_signature_date(clinic, frozen_now):
    access = clinic.access(clinic.clinician_user)
    plan = treatment_plan_create(access=access, patient_id=clinic.patient.pk, draft=draft())
    signed = treatment_plan_sign(access=access, plan_id=plan.pk, patient_signed_on=dt.date(2026, 3, 9))
    assert (signed.signed_at, signed.signed_by_id, signed.patient_signed_on, signed.status) == (
        frozen_now,
        clinic.clinician_user.pk,
        dt.date(2026, 3, 9),
        "draft",
    )
    assert AuditEvent.objects.last().detail == "op=sign;signer=author"


def test_the_authors_supervisor_may_sign(clinic):
    SupervisionFactory(
        supervisor=clinic.supervisor, supervisee=clinic.clinician, starts_on=dt.date(2026, 1, 1)
    )
    plan = treatment_plan_create(
        access=clinic.access(clinic.clinician_user), patient_id=clinic.patient.pk, draft=draft()
    )
    signed = treatment_plan_sign(access=clinic.access(clinic.supervisor_user), plan_id=plan.pk)
    assert signed.signed_by_id == clinic.supervisor_user.pk
    assert AuditEvent.objects.last().detail == "op=sign;signer=supervisor"


def test_someone_else_may_not_sign(clinic):
    plan = treatment_plan_create(
        access=clinic.access(clinic.clinician_user), patient_id=clinic.patient.pk, draft=draft()
    )
    before = tree_counts()
    with pytest.raises(ValidationFailed) as error:
        treatment_plan_sign(access=clinic.access(clinic.supervisor_user), plan_id=plan.pk)
    assert error.value.field_errors == {
        "plan": ["Only the plan's author or the author's supervisor can sign it."]
    }
    plan.refresh_from_db()
    assert plan.signed_at is None
    assert tree_counts() == before


def test_patient_signature_in_the_future_is_refused(clinic):
    access = clinic.access(clinic.clinician_user)
    plan = treatment_plan_create(access=access, patient_id=clinic.patient.pk, draft=draft())
    with pytest.raises(ValidationFailed):
        treatment_plan_sign(access=access, plan_id=plan.pk, patient_signed_on=dt.date(2026, 3, 11))
    plan.refresh_from_db()
    assert (plan.signed_at, plan.patient_signed_on) == (None, None)


def test_activate_needs_a_signature(clinic):
    access = clinic.access(clinic.clinician_user)
    plan = treatment_plan_create(access=access, patient_id=clinic.patient.pk, draft=draft())
    with pytest.raises(ValidationFailed) as error:
        treatment_plan_activate(access=access, plan_id=plan.pk)
    assert error.value.field_errors == {"plan": ["Sign the plan before making it active."]}
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_activate_supersedes_the_previous_active_plan(clinic):
    # given an active plan and a signed new draft
    old = TreatmentPlanFactory(
        practice=clinic.practice, patient=clinic.patient, author=clinic.clinician, status="active"
    )
    other_patients = TreatmentPlanFactory(
        practice=clinic.practice, patient=clinic.other_patient, author=clinic.clinician, status="active"
    )
    access = clinic.access(clinic.clinician_user)
    new = treatment_plan_create(access=access, patient_id=clinic.patient.pk, draft=draft())
    treatment_plan_sign(access=access, plan_id=new.pk)
    # when
    treatment_plan_activate(access=access, plan_id=new.pk)
    # then
    statuses = dict(TreatmentPlan.objects.values_list("pk", "status"))
    assert statuses == {old.pk: "superseded", new.pk: "active", other_patients.pk: "active"}
    assert list(AuditEvent.objects.order_by("-seq").values_list("object_id", "detail")[:2]) == [
        (str(new.pk), "op=activate"),
        (str(old.pk), f"op=supersede;by={new.pk}"),
    ]


def test_active_plan_cannot_be_activated_again(clinic):
    plan = TreatmentPlanFactory(
        practice=clinic.practice, patient=clinic.patient, author=clinic.clinician, status="active"
    )
    with pytest.raises(ValidationFailed):
        treatment_plan_activate(access=clinic.access(clinic.clinician_user), plan_id=plan.pk)


def test_plans_of_another_practice_are_not_found(clinic):
    foreign = TreatmentPlanFactory(status="draft")
    access = clinic.access(clinic.clinician_user)
    for call in (
        lambda: treatment_plan_sign(access=access, plan_id=foreign.pk),
        lambda: treatment_plan_activate(access=access, plan_id=foreign.pk),
        lambda: treatment_plan_update(access=access, plan_id=foreign.pk, draft=draft()),
    ):
        with pytest.raises(NotFound):
            call()
    foreign.refresh_from_db()
    assert (foreign.status, foreign.signed_at) == ("draft", None)
