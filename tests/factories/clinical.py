"""Factories for clinical rows: diagnoses, care teams, supervision, treatment plans, notes.

Appointments and group sessions live in tests/factories/scheduling.py. Note text is built by
`complete_content_for` / `narrative`: deterministic, synthetic, and different per seed (so two
notes of the same patient are not "cloned" unless a test wants them to be).
"""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from clinical_notes.models import NoteDiagnosis, NoteSegment, SessionNote
from core.domain.service_types import ServiceType
from patients.models import CareTeamMember, PatientDiagnosis
from practice.models import Supervision
from tests.factories import PatientFactory, PracticeFactory, ProviderFactory
from tests.factories.clinical_content import complete_content_for, narrative
from treatment_plans.models import PlanGoal, PlanProblem, TreatmentPlan

__all__ = ["complete_content_for", "narrative"]


class PatientDiagnosisFactory(DjangoModelFactory):
    class Meta:
        model = PatientDiagnosis

    patient = factory.SubFactory(PatientFactory)
    code = factory.Sequence(lambda n: ["F411", "F331", "F840", "F900", "F4310"][n % 5])
    description = "Synthetic diagnosis"
    onset_on = dt.date(2025, 1, 1)
    resolved_on = None
    rank = 1


class CareTeamMemberFactory(DjangoModelFactory):
    class Meta:
        model = CareTeamMember

    patient = factory.SubFactory(PatientFactory)
    provider = factory.SubFactory(ProviderFactory, practice=factory.SelfAttribute("..patient.practice"))


class SupervisionFactory(DjangoModelFactory):
    class Meta:
        model = Supervision

    supervisor = factory.SubFactory(ProviderFactory, credential="BCBA")
    supervisee = factory.SubFactory(
        ProviderFactory, practice=factory.SelfAttribute("..supervisor.practice"), credential="RBT"
    )
    starts_on = dt.date(2025, 1, 1)
    ends_on = None


class TreatmentPlanFactory(DjangoModelFactory):
    class Meta:
        model = TreatmentPlan

    practice = factory.SubFactory(PracticeFactory)
    patient = factory.SubFactory(PatientFactory, practice=factory.SelfAttribute("..practice"))
    author = factory.SubFactory(ProviderFactory, practice=factory.SelfAttribute("..practice"))
    status = TreatmentPlan.Status.ACTIVE
    starts_on = dt.date(2026, 1, 1)
    review_on = dt.date(2026, 6, 30)


class PlanProblemFactory(DjangoModelFactory):
    class Meta:
        model = PlanProblem

    plan = factory.SubFactory(TreatmentPlanFactory)
    description = "Synthetic problem"


class PlanGoalFactory(DjangoModelFactory):
    class Meta:
        model = PlanGoal

    problem = factory.SubFactory(PlanProblemFactory)
    description = factory.Sequence(lambda n: f"Synthetic goal {n}")


class SessionNoteFactory(DjangoModelFactory):
    """A draft note written straight to the table (for reads and guards; flows use the services)."""

    class Meta:
        model = SessionNote

    practice = factory.SubFactory(PracticeFactory)
    patient = factory.SubFactory(PatientFactory, practice=factory.SelfAttribute("..practice"))
    author = factory.SubFactory(ProviderFactory, practice=factory.SelfAttribute("..practice"))
    service_type = ServiceType.INDIVIDUAL_PSYCHOTHERAPY.value
    date_of_service = dt.date(2026, 3, 9)
    place_of_service = "11"
    status = "draft"
    content = factory.LazyAttributeSequence(lambda o, n: complete_content_for(o.service_type, seed=n))


class NoteSegmentFactory(DjangoModelFactory):
    class Meta:
        model = NoteSegment

    note = factory.SubFactory(SessionNoteFactory)
    starts_at = dt.datetime(2026, 3, 9, 15, 0, tzinfo=dt.UTC)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=53))


class NoteDiagnosisFactory(DjangoModelFactory):
    class Meta:
        model = NoteDiagnosis

    note = factory.SubFactory(SessionNoteFactory)
    diagnosis = factory.SubFactory(PatientDiagnosisFactory, patient=factory.SelfAttribute("..note.patient"))
    position = 1
