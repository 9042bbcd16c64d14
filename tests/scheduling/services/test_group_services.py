"""Group sessions: the roster is one appointment per patient, unique, changed only by services."""

import datetime as dt

import pytest

from audit.models import AuditEvent
from core.errors import NotFound, PermissionDenied, ValidationFailed
from scheduling.models import Appointment, AppointmentEvent, GroupSession
from scheduling.services import group_roster_add, group_roster_remove, group_session_create
from tests.factories import PatientFactory, PracticeFactory
from tests.factories.scheduling import AppointmentFactory, GroupSessionFactory
from tests.scheduling.conftest import wall

UTC = dt.UTC
pytestmark = pytest.mark.django_db


def create_group(w, patient_ids, access=None, **overrides):
    values = {
        "provider_id": w.clinician_provider.pk,
        "title": "Teen coping skills",
        "service_type": "group_psychotherapy",
        "starts_at": wall(2026, 3, 9, 16),
        "ends_at": wall(2026, 3, 9, 17, 30),
        "location_id": w.office.pk,
        "patient_ids": patient_ids,
    }
    values.update(overrides)
    return group_session_create(access=access or w.clinician_access, **values)


def counts():
    return (
        GroupSession.objects.count(),
        Appointment.objects.count(),
        AppointmentEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def test_group_create_books_one_appointment_per_patient(world):
    # when
    outcome = create_group(world, [world.patient.pk, world.other_patient.pk])
    # then
    group = GroupSession.objects.get()
    assert outcome.group_session == group
    assert (group.title, group.starts_at, group.ends_at, group.provider_id) == (
        "Teen coping skills",
        dt.datetime(2026, 3, 9, 20, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 9, 21, 30, tzinfo=UTC),
        world.clinician_provider.pk,
    )
    rows = list(
        Appointment.objects.order_by("patient_id").values_list(
            "patient_id",
            "provider_id",
            "group_session_id",
            "service_type",
            "starts_at",
            "place_of_service",
            "status",
        )
    )
    assert rows == [
        (p, world.clinician_provider.pk, group.pk, "group_psychotherapy", group.starts_at, "11", "scheduled")
        for p in sorted([world.patient.pk, world.other_patient.pk])
    ]
    assert AppointmentEvent.objects.filter(to_status="scheduled", from_status="").count() == 2
    assert sorted(AuditEvent.objects.values_list("object_type", "action")) == [
        ("appointment", "create"),
        ("appointment", "create"),
        ("group_session", "create"),
    ]
    # other_patient is not on the clinician's caseload: a warning naming them
    assert [(w.code, w.field) for w in outcome.warnings] == [("not_on_caseload", "patient_ids")]
    assert outcome.warnings[0].message == (
        f"Patient #{world.other_patient.pk}: The patient is not on this provider's caseload (care team)."
    )


def test_group_roster_must_not_repeat_a_patient(world):
    before = counts()
    with pytest.raises(ValidationFailed) as error:
        create_group(world, [world.patient.pk, world.patient.pk])
    assert error.value.field_errors == {"patient_ids": ["A patient appears on the roster more than once."]}
    assert counts() == before


def test_group_with_a_foreign_patient_writes_nothing(world):
    foreign = PatientFactory(practice=PracticeFactory())
    before = counts()
    with pytest.raises(ValidationFailed) as error:
        create_group(world, [world.patient.pk, foreign.pk])
    assert error.value.field_errors == {"patient_ids": ["No such patient in this practice."]}
    assert counts() == before


def test_group_refused_when_provider_is_busy_and_nothing_is_written(world):
    # given the clinician has an individual session overlapping the group
    AppointmentFactory(
        practice=world.practice,
        provider=world.clinician_provider,
        patient=world.other_patient,
        location=world.office,
        starts_at=dt.datetime(2026, 3, 9, 21, 0, tzinfo=UTC),
    )
    before = counts()
    # when
    with pytest.raises(ValidationFailed) as error:
        create_group(world, [world.patient.pk, world.other_patient.pk])
    # then one message, not one per patient
    assert list(error.value.field_errors) == ["starts_at"]
    assert len(error.value.field_errors["starts_at"]) == 1
    assert counts() == before


def test_group_of_an_individual_only_service_is_refused(world):
    with pytest.raises(ValidationFailed) as error:
        create_group(world, [world.patient.pk], service_type="diagnostic_evaluation")
    assert error.value.field_errors == {"service_type": ["This service is not delivered to groups."]}
    assert GroupSession.objects.count() == 0


def test_technicians_cannot_create_groups(world):
    before = counts()
    with pytest.raises(PermissionDenied):
        create_group(world, [world.patient.pk], access=world.tech_access)
    assert counts() == before


def test_roster_add_then_remove_then_add_again_reuses_the_row(world):
    # given
    group = create_group(world, [world.patient.pk]).group_session
    # when added
    added = group_roster_add(
        access=world.biller_access, group_session_id=group.pk, patient_id=world.other_patient.pk
    )
    # then
    assert (added.appointment.group_session_id, added.appointment.status) == (group.pk, "scheduled")
    # when removed
    removed = group_roster_remove(
        access=world.biller_access, group_session_id=group.pk, patient_id=world.other_patient.pk
    )
    assert (removed.status, removed.cancel_reason) == ("cancelled", "Removed from the group roster")
    # when added back
    back = group_roster_add(
        access=world.biller_access, group_session_id=group.pk, patient_id=world.other_patient.pk
    )
    # then the same appointment is reinstated: one row per patient per group
    assert back.appointment.pk == added.appointment.pk
    assert (back.appointment.status, back.appointment.cancel_reason) == ("scheduled", "")
    assert Appointment.objects.filter(group_session=group, patient=world.other_patient).count() == 1
    assert list(
        AppointmentEvent.objects.filter(appointment=added.appointment).values_list(
            "from_status", "to_status", "note"
        )
    ) == [
        ("", "scheduled", "Added to group"),
        ("scheduled", "cancelled", "Removed from the group roster"),
        ("cancelled", "scheduled", "Back on the group roster"),
    ]


def test_roster_add_twice_is_refused(world):
    group = create_group(world, [world.patient.pk]).group_session
    before = counts()
    with pytest.raises(ValidationFailed) as error:
        group_roster_add(
            access=world.clinician_access, group_session_id=group.pk, patient_id=world.patient.pk
        )
    assert error.value.field_errors == {"patient_id": ["The patient is already on this group's roster."]}
    assert counts() == before


def test_roster_unique_constraint_holds_in_the_database(world):
    group = GroupSessionFactory(
        practice=world.practice, provider=world.clinician_provider, location=world.office
    )
    AppointmentFactory(
        practice=world.practice, patient=world.patient, provider=world.clinician_provider, group_session=group
    )
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(
            practice=world.practice,
            patient=world.patient,
            provider=world.clinician_provider,
            group_session=group,
        )


def test_roster_remove_of_someone_not_on_it(world):
    group = create_group(world, [world.patient.pk]).group_session
    with pytest.raises(ValidationFailed) as error:
        group_roster_remove(
            access=world.clinician_access, group_session_id=group.pk, patient_id=world.other_patient.pk
        )
    assert error.value.field_errors == {"patient_id": ["The patient is not on this group's roster."]}


def test_roster_change_in_another_practices_group_is_not_found(world):
    foreign = GroupSessionFactory()
    with pytest.raises(NotFound):
        group_roster_add(
            access=world.clinician_access, group_session_id=foreign.pk, patient_id=world.patient.pk
        )
