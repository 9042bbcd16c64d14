"""Treatment-plan use cases: create, edit (unsigned drafts), sign, activate.

Each opens `transaction.atomic(durable=True)`, checks the rules in treatment_plans.domain.plans,
writes with `full_clean()` and records an audit event (category treatment_plan) in the same
transaction; on any error nothing is written. Needs TREATMENT_PLAN_EDIT (clinicians and
supervisors) and a provider profile: the author is the signed-in provider.

Activating a plan supersedes the patient's previous active plan. The patient's plans are locked
(ordered by pk) first, so two activations for one patient run one after the other and exactly
one plan ends up active.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from core.domain.problems import Problem
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.validation import raise_for_problems
from practice.selectors import practice_today
from scheduling.selectors import patient_facts
from treatment_plans import selectors
from treatment_plans.domain.plans import (
    plan_activate_problems,
    plan_draft_problems,
    plan_edit_problems,
    plan_sign_problems,
)
from treatment_plans.domain.types import PlanDraft, PlanStatus, ProblemDraft
from treatment_plans.models import PlanGoal, PlanObjective, PlanProblem, TreatmentPlan


def _raise_if_errors(problems: Sequence[Problem], message: str) -> None:
    raise_for_problems(problems, message=message, single_error_message=True)


def _clean(instance: models.Model) -> None:
    try:
        instance.full_clean()
    except DjangoValidationError as error:
        raise ValidationFailed(field_errors=error.message_dict) from error


def _author(access: PracticeAccess) -> int:
    access.require(Capability.TREATMENT_PLAN_EDIT)
    if access.provider_id is None:
        raise PermissionDenied("Only providers write and sign treatment plans.")
    return access.provider_id


def _audit(access: PracticeAccess, *, action: str, plan: TreatmentPlan, detail: str) -> None:
    audit_event_record(
        context=access.audit,
        action=action,
        category=Category.TREATMENT_PLAN,
        practice_id=access.practice_id,
        patient_id=plan.patient_id,
        object_type="treatment_plan",
        object_id=plan.pk,
        detail=detail,
    )


def _write_tree(plan: TreatmentPlan, problems: Sequence[ProblemDraft]) -> None:
    for i, problem in enumerate(problems, start=1):
        row = PlanProblem(
            plan=plan, description=problem.description.strip(), diagnosis_id=problem.diagnosis_id, position=i
        )
        _clean(row)
        row.save()
        for j, goal in enumerate(problem.goals, start=1):
            goal_row = PlanGoal(
                problem=row,
                description=goal.description.strip(),
                interventions=goal.interventions.strip(),
                position=j,
            )
            _clean(goal_row)
            goal_row.save()
            for objective in goal.objectives:
                objective_row = PlanObjective(
                    goal=goal_row,
                    description=objective.description.strip(),
                    measure=objective.measure.strip(),
                    target=objective.target.strip(),
                    target_on=objective.target_on,
                )
                _clean(objective_row)
                objective_row.save()


def _diagnoses(access: PracticeAccess, patient_id: int, draft: PlanDraft) -> set[int]:
    """The patient's active diagnosis ids, read only when the plan names a diagnosis."""
    if all(p.diagnosis_id is None for p in draft.problems):
        return set()
    return selectors.active_diagnosis_ids(access=access, patient_id=patient_id)


def _locked_plan(access: PracticeAccess, plan_id: int) -> TreatmentPlan:
    plan = (
        TreatmentPlan.objects.select_for_update(of=("self",))
        .filter(pk=plan_id, practice_id=access.practice_id)
        .first()
    )
    if plan is None:
        raise NotFound()
    return plan


def treatment_plan_create(*, access: PracticeAccess, patient_id: int, draft: PlanDraft) -> TreatmentPlan:
    """A new draft plan written by the signed-in provider."""
    author_id = _author(access)
    with transaction.atomic(durable=True):
        if patient_facts(practice_id=access.practice_id, patient_id=patient_id) is None:
            raise NotFound()
        problems = plan_draft_problems(draft, active_diagnosis_ids=_diagnoses(access, patient_id, draft))
        _raise_if_errors(problems, "The treatment plan is not complete.")
        plan = TreatmentPlan(
            practice_id=access.practice_id,
            patient_id=patient_id,
            author_id=author_id,
            status=PlanStatus.DRAFT,
            starts_on=draft.starts_on,
            review_on=draft.review_on,
        )
        _clean(plan)
        plan.save()
        _write_tree(plan, draft.problems)
        _audit(access, action=AuditEvent.Action.CREATE, plan=plan, detail=f"problems={len(draft.problems)}")
    return plan


def treatment_plan_update(*, access: PracticeAccess, plan_id: int, draft: PlanDraft) -> TreatmentPlan:
    """Replace an unsigned draft's dates and content (problems, goals, objectives)."""
    _author(access)
    with transaction.atomic(durable=True):
        plan = _locked_plan(access, plan_id)
        _raise_if_errors(
            plan_edit_problems(status=PlanStatus(plan.status), signed=plan.signed_at is not None),
            "The plan cannot be edited.",
        )
        problems = plan_draft_problems(draft, active_diagnosis_ids=_diagnoses(access, plan.patient_id, draft))
        _raise_if_errors(problems, "The treatment plan is not complete.")
        plan.starts_on = draft.starts_on
        plan.review_on = draft.review_on
        _clean(plan)
        plan.save(update_fields=["starts_on", "review_on", "updated_at"])
        try:
            PlanObjective.objects.filter(goal__problem__plan=plan).delete()
            PlanGoal.objects.filter(problem__plan=plan).delete()
            PlanProblem.objects.filter(plan=plan).delete()
        except models.ProtectedError as error:  # a note already links one of its goals
            raise Conflict("Session notes already refer to this plan's goals; write a new plan.") from error
        _write_tree(plan, draft.problems)
        _audit(
            access,
            action=AuditEvent.Action.UPDATE,
            plan=plan,
            detail=f"op=edit;problems={len(draft.problems)}",
        )
    return plan


def treatment_plan_sign(
    *, access: PracticeAccess, plan_id: int, patient_signed_on: dt.date | None = None
) -> TreatmentPlan:
    """The author (or the author's supervisor today) signs; optionally the patient's signature date."""
    signer_provider_id = _author(access)
    with transaction.atomic(durable=True):
        plan = _locked_plan(access, plan_id)
        today = practice_today(practice_id=access.practice_id)
        _raise_if_errors(
            plan_sign_problems(
                status=PlanStatus(plan.status),
                signed=plan.signed_at is not None,
                signer_is_author=signer_provider_id == plan.author_id,
                signer_supervises_author=selectors.signer_supervises(
                    signer_provider_id=signer_provider_id, author_id=plan.author_id, on=today
                ),
                patient_signed_on=patient_signed_on,
                today=today,
            ),
            "The plan cannot be signed.",
        )
        now = timezone.now()
        updated = TreatmentPlan.objects.filter(
            pk=plan.pk, status=PlanStatus.DRAFT, signed_at__isnull=True
        ).update(
            signed_at=now, signed_by_id=access.user_id, patient_signed_on=patient_signed_on, updated_at=now
        )
        if updated != 1:
            raise Conflict("The plan changed meanwhile; reload and try again.")
        plan.refresh_from_db()
        role = "author" if signer_provider_id == plan.author_id else "supervisor"
        _audit(access, action=AuditEvent.Action.UPDATE, plan=plan, detail=f"op=sign;signer={role}")
    return plan


def treatment_plan_activate(*, access: PracticeAccess, plan_id: int) -> TreatmentPlan:
    """Make a signed draft the patient's active plan; the previous active plan is superseded."""
    _author(access)
    with transaction.atomic(durable=True):
        facts = selectors.plan_facts(practice_id=access.practice_id, plan_id=plan_id)
        if facts is None:
            raise NotFound()
        # Lock every plan of the patient, in pk order: concurrent activations queue here.
        plans = list(
            TreatmentPlan.objects.select_for_update(of=("self",))
            .filter(practice_id=access.practice_id, patient_id=facts.patient_id)
            .order_by("pk")
        )
        plan = next(p for p in plans if p.pk == plan_id)
        _raise_if_errors(
            plan_activate_problems(status=PlanStatus(plan.status), signed=plan.signed_at is not None),
            "The plan cannot be made active.",
        )
        now = timezone.now()
        superseded = [p for p in plans if p.status == PlanStatus.ACTIVE]
        TreatmentPlan.objects.filter(pk__in=[p.pk for p in superseded], status=PlanStatus.ACTIVE).update(
            status=PlanStatus.SUPERSEDED, updated_at=now
        )
        updated = TreatmentPlan.objects.filter(pk=plan.pk, status=PlanStatus.DRAFT).update(
            status=PlanStatus.ACTIVE, updated_at=now
        )
        if updated != 1:
            raise Conflict("The plan changed meanwhile; reload and try again.")
        plan.refresh_from_db()
        for old in superseded:
            _audit(access, action=AuditEvent.Action.UPDATE, plan=old, detail=f"op=supersede;by={plan.pk}")
        _audit(access, action=AuditEvent.Action.UPDATE, plan=plan, detail="op=activate")
    return plan
