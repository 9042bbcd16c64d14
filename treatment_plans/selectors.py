"""Reads of treatment plans. Scoped by practice (technicians: their caseload) and audited.

- `plan_list_for_patient` → one `list` event (category treatment_plan), plus the patient header
  read through patients.selectors (its own demographics `view` event).
- `plan_get` → one `view` event with the patient id; a plan the user may not see gives one
  `denied` event and NotFound (another practice's and a missing one look the same).
- `active_plan_goal_choices` and `plan_facts` are facts for services and pickers whose callers
  already audit the screen they serve; they write nothing. `active_diagnosis_ids` reads through
  patients.selectors (one diagnosis `view` event).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import overload

from django.db.models import Prefetch, Q, QuerySet

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from core.errors import NotFound
from patients.models import PatientDiagnosis
from patients.selectors import caseload_patient_ids, diagnosis_list_for_user, patient_get_for_user
from practice.domain.supervision import supervisors_on
from practice.selectors import practice_today, practice_zone, supervision_periods_for_supervisee
from treatment_plans.domain.plans import plan_review_overdue
from treatment_plans.domain.types import PlanStatus
from treatment_plans.models import PlanGoal, PlanObjective, PlanProblem, TreatmentPlan

STATUS_LABELS = dict(TreatmentPlan.Status.choices)
STATUS_CSS = {PlanStatus.DRAFT: "warn", PlanStatus.ACTIVE: "ok", PlanStatus.SUPERSEDED: ""}


# ---------------------------------------------------------------------------------------------
# View models


@dataclass(frozen=True, slots=True)
class ObjectiveView:
    objective_id: int
    description: str
    measure: str
    target: str
    target_on: dt.date | None


@dataclass(frozen=True, slots=True)
class GoalView:
    goal_id: int
    description: str
    interventions: str
    objectives: tuple[ObjectiveView, ...]


@dataclass(frozen=True, slots=True)
class ProblemView:
    problem_id: int
    description: str
    diagnosis_id: int | None
    diagnosis_label: str  # "F84.0 Autistic disorder" or ""
    goals: tuple[GoalView, ...]


@dataclass(frozen=True, slots=True)
class PlanRow:
    plan_id: int
    status: str
    status_label: str
    status_css: str
    starts_on: dt.date
    review_on: dt.date
    author_name: str
    signed: bool
    review_overdue: bool


@dataclass(frozen=True, slots=True)
class PlanDetail:
    plan_id: int
    practice_id: int
    patient_id: int
    patient_name: str
    author_id: int
    author_name: str
    status: str
    status_label: str
    status_css: str
    starts_on: dt.date
    review_on: dt.date
    signed_at_local: dt.datetime | None
    signed_by: str
    patient_signed_on: dt.date | None
    overdue_message: str  # the review-overdue warning, "" when not overdue (or not active)
    problems: tuple[ProblemView, ...]
    can_edit: bool
    can_sign: bool
    can_activate: bool


@dataclass(frozen=True, slots=True)
class PlanListFilters:
    """The list's filters (the patient is the list's own argument)."""

    status: PlanStatus | None = None


class PlanRows:
    """A patient's filtered plans as rows, read a slice at a time: what Django's Paginator and
    DRF's pagination cut into pages (`count()` once, then one query for the page's slice)."""

    def __init__(self, plans: QuerySet[TreatmentPlan], *, today: dt.date) -> None:
        self._plans = plans
        self._today = today
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self._plans.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> PlanRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[PlanRow]: ...

    def __getitem__(self, index: int | slice) -> PlanRow | list[PlanRow]:
        if isinstance(index, int):
            return _row(self._plans[index], self._today)
        return [_row(plan, self._today) for plan in self._plans[index]]

    def __iter__(self) -> Iterator[PlanRow]:
        return iter(self[0 : self.count()])


@dataclass(frozen=True, slots=True)
class PlanListPage:
    patient_id: int
    patient_name: str
    rows: PlanRows  # filtered, newest start first; not yet cut into pages
    can_create: bool
    overdue_message: str  # the active plan's review-overdue warning, or ""


@dataclass(frozen=True, slots=True)
class PlanDates:
    """The dates of a patient's active plan, for the note checks (no PHI)."""

    plan_id: int
    starts_on: dt.date
    review_on: dt.date


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """What the plan services need to decide (no PHI)."""

    plan_id: int
    practice_id: int
    patient_id: int
    author_id: int
    status: PlanStatus
    signed: bool


# ---------------------------------------------------------------------------------------------
# Helpers


def _caseload_plans(provider_id: int, today: dt.date) -> Q:
    """Plans of patients on the provider's care team today."""
    return Q(patient_id__in=caseload_patient_ids(provider_id=provider_id, on=today))


def _visible_plans(access: PracticeAccess, *, today: dt.date) -> QuerySet[TreatmentPlan]:
    plans = TreatmentPlan.objects.filter(practice_id=access.practice_id)
    if not access.caseload_scoped:
        return plans
    if access.provider_id is None:
        return plans.none()
    return plans.filter(_caseload_plans(access.provider_id, today))


def _diagnosis_label(diagnosis: PatientDiagnosis | None) -> str:
    if diagnosis is None:
        return ""
    code = diagnosis.code
    dotted = f"{code[:3]}.{code[3:]}" if len(code) > 3 else code
    return f"{dotted} {diagnosis.description}".strip()


def signer_supervises(*, signer_provider_id: int | None, author_id: int, on: dt.date) -> bool:
    """Whether the signer supervises the plan's author on `on`."""
    if signer_provider_id is None:
        return False
    periods = supervision_periods_for_supervisee(supervisee_id=author_id)
    return signer_provider_id in supervisors_on(on, periods)


def _row(plan: TreatmentPlan, today: dt.date) -> PlanRow:
    status = PlanStatus(plan.status)
    return PlanRow(
        plan_id=plan.pk,
        status=status.value,
        status_label=STATUS_LABELS[status.value],
        status_css=STATUS_CSS[status],
        starts_on=plan.starts_on,
        review_on=plan.review_on,
        author_name=plan.author.full_name,
        signed=plan.signed_at is not None,
        review_overdue=status is PlanStatus.ACTIVE and plan_review_overdue(plan.review_on, today) is not None,
    )


# ---------------------------------------------------------------------------------------------
# Reads for people


def plan_list_for_patient(
    *, access: PracticeAccess, patient_id: int, filters: PlanListFilters | None = None
) -> PlanListPage:
    """The patient's plans, newest start first, filtered in the database; `rows` is cut into
    pages by the caller (Django's Paginator on the screen, DRF's on the API). One `list` event
    with the number of matches."""
    access.require(Capability.CLINICAL_VIEW)
    patient = patient_get_for_user(access=access, patient_id=patient_id, purpose="treatment_plans")
    today = practice_today(practice_id=access.practice_id)
    plans = _visible_plans(access, today=today).filter(patient_id=patient.pk)
    active_review_on = (
        plans.filter(status=PlanStatus.ACTIVE).order_by("-starts_on", "-pk").values_list("review_on").first()
    )
    if filters is not None and filters.status is not None:
        plans = plans.filter(status=filters.status)
    rows = PlanRows(plans.select_related("author").order_by("-starts_on", "-pk"), today=today)
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.LIST,
        category=Category.TREATMENT_PLAN,
        practice_id=access.practice_id,
        patient_id=patient.pk,
        object_type="treatment_plan",
        detail=f"results={rows.count()}",
    )
    overdue = plan_review_overdue(active_review_on[0], today) if active_review_on else None
    return PlanListPage(
        patient_id=patient.pk,
        patient_name=patient.full_name,
        rows=rows,
        can_create=access.can(Capability.TREATMENT_PLAN_EDIT) and access.provider_id is not None,
        overdue_message=overdue.message if overdue else "",
    )


def _tree(plan_id: int) -> list[PlanProblem]:
    return list(
        PlanProblem.objects.filter(plan_id=plan_id)
        .select_related("diagnosis")
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=PlanGoal.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("objectives", queryset=PlanObjective.objects.order_by("pk"))
                ),
            )
        )
        .order_by("position", "pk")
    )


def plan_get(*, access: PracticeAccess, plan_id: int) -> PlanDetail:
    """One plan with its problems, goals and objectives, and what this user may do with it."""
    access.require(Capability.CLINICAL_VIEW)
    today = practice_today(practice_id=access.practice_id)
    plan = (
        _visible_plans(access, today=today)
        .select_related("patient", "author", "signed_by")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        audit_event_record(
            context=access.audit,
            action=AuditEvent.Action.VIEW,
            category=Category.TREATMENT_PLAN,
            practice_id=access.practice_id,
            object_type="treatment_plan",
            object_id=plan_id,
            outcome=AuditEvent.Outcome.DENIED,
            detail="reason=not_accessible",
        )
        raise NotFound()
    problems = _tree(plan.pk)
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.VIEW,
        category=Category.TREATMENT_PLAN,
        practice_id=access.practice_id,
        patient_id=plan.patient_id,
        object_type="treatment_plan",
        object_id=plan.pk,
    )
    status = PlanStatus(plan.status)
    signed = plan.signed_at is not None
    overdue = plan_review_overdue(plan.review_on, today) if status is PlanStatus.ACTIVE else None
    can_edit_plans = access.can(Capability.TREATMENT_PLAN_EDIT) and access.provider_id is not None
    may_sign = can_edit_plans and (
        access.provider_id == plan.author_id
        or signer_supervises(signer_provider_id=access.provider_id, author_id=plan.author_id, on=today)
    )
    zone = practice_zone(practice_id=access.practice_id)
    return PlanDetail(
        plan_id=plan.pk,
        practice_id=plan.practice_id,
        patient_id=plan.patient_id,
        patient_name=plan.patient.full_name,
        author_id=plan.author_id,
        author_name=plan.author.full_name,
        status=status.value,
        status_label=STATUS_LABELS[status.value],
        status_css=STATUS_CSS[status],
        starts_on=plan.starts_on,
        review_on=plan.review_on,
        signed_at_local=plan.signed_at.astimezone(zone) if plan.signed_at else None,
        signed_by=plan.signed_by.get_username() if plan.signed_by else "",
        patient_signed_on=plan.patient_signed_on,
        overdue_message=overdue.message if overdue else "",
        problems=tuple(
            ProblemView(
                problem_id=p.pk,
                description=p.description,
                diagnosis_id=p.diagnosis_id,
                diagnosis_label=_diagnosis_label(p.diagnosis),
                goals=tuple(
                    GoalView(
                        goal_id=g.pk,
                        description=g.description,
                        interventions=g.interventions,
                        objectives=tuple(
                            ObjectiveView(
                                objective_id=o.pk,
                                description=o.description,
                                measure=o.measure,
                                target=o.target,
                                target_on=o.target_on,
                            )
                            for o in g.objectives.all()
                        ),
                    )
                    for g in p.goals.all()
                ),
            )
            for p in problems
        ),
        can_edit=can_edit_plans and status is PlanStatus.DRAFT and not signed,
        can_sign=may_sign and status is PlanStatus.DRAFT and not signed,
        can_activate=can_edit_plans and status is PlanStatus.DRAFT and signed,
    )


def plan_diagnosis_choices(*, access: PracticeAccess, patient_id: int) -> list[tuple[int, str]]:
    """The patient's active diagnoses for the plan form (one diagnosis `view` event)."""
    return [
        (d.pk, _diagnosis_label(d))
        for d in diagnosis_list_for_user(access=access, patient_id=patient_id)
        if d.resolved_on is None
    ]


# ---------------------------------------------------------------------------------------------
# Facts for services and pickers (no audit of their own)


def plan_facts(*, practice_id: int, plan_id: int) -> PlanFacts | None:
    row = (
        TreatmentPlan.objects.filter(pk=plan_id, practice_id=practice_id)
        .values_list("patient_id", "author_id", "status", "signed_at")
        .first()
    )
    if row is None:
        return None
    patient_id, author_id, status, signed_at = row
    return PlanFacts(
        plan_id=plan_id,
        practice_id=practice_id,
        patient_id=patient_id,
        author_id=author_id,
        status=PlanStatus(status),
        signed=signed_at is not None,
    )


def active_diagnosis_ids(*, access: PracticeAccess, patient_id: int) -> set[int]:
    """The patient's active diagnoses, read through patients.selectors (one diagnosis `view`)."""
    return {
        d.pk for d in diagnosis_list_for_user(access=access, patient_id=patient_id) if d.resolved_on is None
    }


def active_plan_goal_choices(*, practice_id: int, patient_id: int) -> list[tuple[int, str]]:
    """Goals of the patient's active plan, for a note's "goals worked on" picker."""
    rows = (
        PlanGoal.objects.filter(
            problem__plan__practice_id=practice_id,
            problem__plan__patient_id=patient_id,
            problem__plan__status=PlanStatus.ACTIVE,
        )
        .order_by("problem__position", "problem__pk", "position", "pk")
        .values_list("pk", "description")
    )
    return [(pk, description) for pk, description in rows]


def active_plan_dates_on(*, patient_id: int, on: dt.date) -> PlanDates | None:
    """The patient's active plan that had started by `on` (the newest start), for a note's checks."""
    row = (
        TreatmentPlan.objects.filter(patient_id=patient_id, status=PlanStatus.ACTIVE, starts_on__lte=on)
        .order_by("-starts_on", "-pk")
        .values_list("pk", "starts_on", "review_on")
        .first()
    )
    return PlanDates(plan_id=row[0], starts_on=row[1], review_on=row[2]) if row else None


def goal_ids_of_patient(*, patient_id: int, goal_ids: list[int]) -> set[int]:
    """Which of `goal_ids` belong to one of this patient's treatment plans."""
    if not goal_ids:
        return set()
    return set(
        PlanGoal.objects.filter(pk__in=goal_ids, problem__plan__patient_id=patient_id).values_list(
            "pk", flat=True
        )
    )


# ---------------------------------------------------------------------------------------------
# The supervisor's home page: reviews coming due


@dataclass(frozen=True, slots=True)
class PlanReviewDue:
    plan_id: int
    patient_name: str
    review_on: dt.date


@dataclass(frozen=True, slots=True)
class PlanReviewsDue:
    total: int
    first: list[PlanReviewDue]  # the earliest `limit`, review date first


def plan_reviews_due(*, access: PracticeAccess, within_days: int, limit: int = 5) -> PlanReviewsDue:
    """Active plans the user can read whose review date is within `within_days` days (or past):
    two queries; a `list` event when a patient is shown."""
    access.require(Capability.CLINICAL_VIEW)
    today = practice_today(practice_id=access.practice_id)
    due = _visible_plans(access, today=today).filter(
        status=PlanStatus.ACTIVE, review_on__lte=today + dt.timedelta(days=within_days)
    )
    total = due.count()
    first = [
        PlanReviewDue(plan_id=plan.pk, patient_name=plan.patient.full_name, review_on=plan.review_on)
        for plan in due.select_related("patient").order_by("review_on", "pk")[:limit]
    ]
    if first:
        audit_event_record(
            context=access.audit,
            action=AuditEvent.Action.LIST,
            category=Category.TREATMENT_PLAN,
            practice_id=access.practice_id,
            object_type="treatment_plan",
            detail=f"view=reviews_due;results={len(first)};total={total}",
        )
    return PlanReviewsDue(total=total, first=first)
