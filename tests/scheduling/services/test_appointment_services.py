"""Booking, rescheduling and status changes: rows, events and audit; nothing written on error."""

import datetime as dt

import pytest
import time_machine

from audit.models import AuditEvent
from core.errors import NotFound, PermissionDenied, ValidationFailed
from scheduling.models import Appointment, AppointmentEvent
from scheduling.services import appointment_reschedule, appointment_schedule, appointment_set_status
from tests.factories import LocationFactory, PatientFactory, PracticeFactory, ProviderFactory
from tests.factories.scheduling import AppointmentFactory
from tests.scheduling.conftest import wall

UTC = dt.UTC
pytestmark = pytest.mark.django_db


def book(w, access=None, **overrides):
    values = {
        "patient_id": w.patient.pk,
        "provider_id": w.clinician_provider.pk,
        "service_type": "individual_psychotherapy",
        "starts_at": wall(2026, 3, 9, 10),
        "ends_at": wall(2026, 3, 9, 11),
        "location_id": w.office.pk,
    }
    values.update(overrides)
    return appointment_schedule(access=access or w.clinician_access, **values)


def counts():
    return (Appointment.objects.count(), AppointmentEvent.objects.count(), AuditEvent.objects.count())


# --- booking ---------------------------------------------------------------------------------


def test_schedule_converts_local_times_and_records_event_and_audit(world):
    # when
    outcome = book(world)
    # then
    a = Appointment.objects.get()
    assert a == outcome.appointment
    assert (a.starts_at, a.ends_at) == (
        dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC),  # 10:00 EDT (the day after the change)
        dt.datetime(2026, 3, 9, 15, 0, tzinfo=UTC),
    )
    assert (a.practice_id, a.status, a.place_of_service, a.telehealth, a.patient_at_home) == (
        world.practice.pk,
        "scheduled",
        "11",
        "",
        False,
    )
    assert outcome.warnings == ()
    [event] = AppointmentEvent.objects.all()
    assert (event.appointment_id, event.actor_id, event.from_status, event.to_status, event.note) == (
        a.pk,
        world.clinician.pk,
        "",
        "scheduled",
        "Booked",
    )
    [audit] = AuditEvent.objects.all()
    assert (
        audit.action,
        audit.category,
        audit.patient_id,
        audit.object_type,
        audit.object_id,
        audit.detail,
    ) == (
        "create",
        "appointment",
        world.patient.pk,
        "appointment",
        str(a.pk),
        "op=schedule",
    )


def test_schedule_crossing_midnight_is_valid(world):
    outcome = book(world, starts_at=wall(2026, 3, 9, 23, 30), ends_at=wall(2026, 3, 10, 0, 30))
    a = outcome.appointment
    assert (a.starts_at, a.ends_at) == (
        dt.datetime(2026, 3, 10, 3, 30, tzinfo=UTC),
        dt.datetime(2026, 3, 10, 4, 30, tzinfo=UTC),
    )


def test_schedule_on_fall_back_night_takes_first_occurrence_and_warns(world):
    # given 01:30 on 2026-11-01 in New York happens twice
    outcome = book(world, starts_at=wall(2026, 11, 1, 1, 30), ends_at=wall(2026, 11, 1, 2, 30))
    # then: 01:30 EDT (05:30 UTC) to 02:30 EST (07:30 UTC): two real hours
    a = outcome.appointment
    assert (a.starts_at, a.ends_at) == (
        dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        dt.datetime(2026, 11, 1, 7, 30, tzinfo=UTC),
    )
    assert [(w.code, w.field) for w in outcome.warnings] == [("local_time_ambiguous", "starts_at")]


def test_schedule_in_spring_forward_gap_is_rejected_and_nothing_is_written(world):
    # given
    before = counts()
    # when
    with pytest.raises(ValidationFailed) as error:
        book(world, starts_at=wall(2026, 3, 8, 2, 30), ends_at=wall(2026, 3, 8, 3, 30))
    # then
    assert error.value.field_errors == {
        "starts_at": [
            "02:30 on Sun 8 Mar 2026 does not exist in America/New_York: clocks move forward an hour that night. "
            "Choose a time before or after the gap."
        ]
    }
    assert counts() == before


def test_telehealth_at_home_is_pos_10_elsewhere_02(world):
    home = book(world, telehealth="audio_video", patient_at_home=True, location_id=None)
    elsewhere = book(
        world,
        telehealth="audio_only",
        location_id=None,
        starts_at=wall(2026, 3, 9, 12),
        ends_at=wall(2026, 3, 9, 13),
    )
    assert (home.appointment.place_of_service, home.appointment.patient_at_home) == ("10", True)
    assert (elsewhere.appointment.place_of_service, elsewhere.appointment.patient_at_home) == ("02", False)


def test_in_person_takes_the_location_default_pos_and_ignores_at_home(world):
    outcome = book(world, location_id=world.school.pk, patient_at_home=True)
    assert (outcome.appointment.place_of_service, outcome.appointment.patient_at_home) == ("03", False)


def test_provider_double_booking_is_refused(world):
    # given
    first = book(world)
    before = counts()
    # when
    with pytest.raises(ValidationFailed) as error:
        book(
            world,
            patient_id=world.other_patient.pk,
            starts_at=wall(2026, 3, 9, 10, 30),
            ends_at=wall(2026, 3, 9, 11, 30),
        )
    # then
    assert error.value.field_errors == {
        "starts_at": [f"The provider is already booked at this time (appointment #{first.appointment.pk})."]
    }
    assert counts() == before


def test_touching_appointments_are_fine(world):
    book(world)
    outcome = book(
        world, patient_id=world.other_patient.pk, starts_at=wall(2026, 3, 9, 11), ends_at=wall(2026, 3, 9, 12)
    )
    assert [w.code for w in outcome.warnings] == ["not_on_caseload"]
    assert Appointment.objects.count() == 2


def test_cancelled_appointment_frees_the_time(world):
    AppointmentFactory(
        practice=world.practice,
        provider=world.clinician_provider,
        patient=world.other_patient,
        location=world.office,
        starts_at=dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC),
        status="cancelled",
    )
    assert book(world).appointment.pk is not None


def test_patient_double_booked_with_another_provider_is_a_warning(world):
    # given the patient is with the tech 10:00-11:00
    other = book(world, provider_id=world.tech_provider.pk)
    # when booked with the clinician 10:30-11:30
    outcome = book(world, starts_at=wall(2026, 3, 9, 10, 30), ends_at=wall(2026, 3, 9, 11, 30))
    # then
    assert [(w.code, w.message) for w in outcome.warnings] == [
        (
            "patient_double_booked",
            f"The patient has another appointment with another provider at this time (#{other.appointment.pk}).",
        )
    ]
    assert Appointment.objects.count() == 2


def test_caseload_member_gets_no_caseload_warning(world):
    outcome = book(world, provider_id=world.tech_provider.pk)
    assert outcome.warnings == ()


def test_patient_off_the_providers_caseload_is_a_warning(world):
    outcome = book(world, patient_id=world.other_patient.pk)
    assert [(w.code, w.field) for w in outcome.warnings] == [("not_on_caseload", "provider_id")]
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    ("_case", "field", "expected"),
    [
        ("patient", "patient_id", {"patient_id": ["No such patient in this practice."]}),
        ("provider", "provider_id", {"provider_id": ["No such provider in this practice."]}),
        ("location", "location_id", {"location_id": ["No such location in this practice."]}),
    ],
)
def test_another_practices_records_are_unknown_here(world, _case, field, expected):
    # given
    elsewhere = PracticeFactory()
    foreign = {
        "patient_id": PatientFactory(practice=elsewhere).pk,
        "provider_id": ProviderFactory(practice=elsewhere).pk,
        "location_id": LocationFactory(practice=elsewhere).pk,
    }
    before = counts()
    # when
    with pytest.raises(ValidationFailed) as error:
        book(world, **{field: foreign[field]})
    # then
    assert error.value.field_errors == expected
    assert counts() == before


def test_group_service_cannot_be_booked_alone(world):
    with pytest.raises(ValidationFailed) as error:
        book(world, service_type="group_psychotherapy")
    assert error.value.field_errors == {
        "service_type": ["Group services are booked as a group session with a roster."]
    }
    assert Appointment.objects.count() == 0


def test_end_before_start_is_refused(world):
    with pytest.raises(ValidationFailed) as error:
        book(world, ends_at=wall(2026, 3, 9, 9))
    assert error.value.field_errors == {"ends_at": ["The end must be after the start."]}
    assert Appointment.objects.count() == 0


@pytest.mark.parametrize("role", ["tech_access", "compliance_access"])
def test_only_schedulers_may_book(world, role):
    before = counts()
    with pytest.raises(PermissionDenied):
        book(world, access=getattr(world, role))
    assert counts() == before


@pytest.mark.parametrize("role", ["biller_access", "admin_access", "clinician_access"])
def test_front_desk_and_clinicians_may_book(world, role):
    assert book(world, access=getattr(world, role)).appointment.pk is not None


# --- rescheduling ----------------------------------------------------------------------------


def test_reschedule_moves_the_appointment_and_records_it(world):
    # given
    a = book(world).appointment
    # when
    outcome = appointment_reschedule(
        access=world.biller_access,
        appointment_id=a.pk,
        starts_at=wall(2026, 3, 10, 15),
        ends_at=wall(2026, 3, 10, 16),
        location_id=world.school.pk,
    )
    # then
    a.refresh_from_db()
    assert (a.starts_at, a.ends_at, a.location_id, a.place_of_service) == (
        dt.datetime(2026, 3, 10, 19, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 10, 20, 0, tzinfo=UTC),
        world.school.pk,
        "03",
    )
    assert outcome.warnings == ()
    event = AppointmentEvent.objects.filter(appointment=a).last()
    assert (event.from_status, event.to_status, event.note, event.actor_id) == (
        "scheduled",
        "scheduled",
        "Rescheduled from Mon 9 Mar 2026, 10:00 EDT",
        world.biller.pk,
    )
    assert AuditEvent.objects.last().detail == "op=reschedule"


def test_reschedule_into_the_same_slot_is_not_a_clash_with_itself(world):
    a = book(world).appointment
    appointment_reschedule(
        access=world.clinician_access,
        appointment_id=a.pk,
        starts_at=wall(2026, 3, 9, 10, 30),
        ends_at=wall(2026, 3, 9, 11, 30),
    )
    a.refresh_from_db()
    assert a.starts_at == dt.datetime(2026, 3, 9, 14, 30, tzinfo=UTC)


def test_reschedule_onto_a_busy_provider_changes_nothing(world):
    # given
    a = book(world).appointment
    book(world, patient_id=world.other_patient.pk, provider_id=world.other_provider.pk)
    before = counts()
    # when
    with pytest.raises(ValidationFailed):
        appointment_reschedule(
            access=world.clinician_access,
            appointment_id=a.pk,
            starts_at=wall(2026, 3, 9, 10),
            ends_at=wall(2026, 3, 9, 11),
            provider_id=world.other_provider.pk,
        )
    # then
    a.refresh_from_db()
    assert a.provider_id == world.clinician_provider.pk
    assert counts() == before


def test_reschedule_of_another_practices_appointment_is_not_found(world):
    foreign = AppointmentFactory()
    with pytest.raises(NotFound):
        appointment_reschedule(
            access=world.clinician_access,
            appointment_id=foreign.pk,
            starts_at=wall(2026, 3, 9, 10),
            ends_at=wall(2026, 3, 9, 11),
        )


def test_cancelled_appointment_cannot_be_rescheduled(world):
    a = AppointmentFactory(practice=world.practice, status="cancelled", location=world.office)
    with pytest.raises(ValidationFailed) as error:
        appointment_reschedule(
            access=world.clinician_access,
            appointment_id=a.pk,
            starts_at=wall(2026, 3, 9, 10),
            ends_at=wall(2026, 3, 9, 11),
        )
    assert error.value.field_errors == {"starts_at": ["A cancelled appointment cannot be rescheduled."]}


# --- status ----------------------------------------------------------------------------------

START = dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC)


@pytest.fixture
def tech_appointment(world):
    return AppointmentFactory(
        practice=world.practice,
        patient=world.patient,
        provider=world.tech_provider,
        location=world.office,
        starts_at=START,
        service_type="aba_technician_treatment",
    )


def test_tech_checks_in_and_completes_own_appointment(world, tech_appointment):
    # when
    with time_machine.travel(START - dt.timedelta(minutes=10), tick=False):
        appointment_set_status(access=world.tech_access, appointment_id=tech_appointment.pk, status="arrived")
    with time_machine.travel(START + dt.timedelta(minutes=70), tick=False):
        done = appointment_set_status(
            access=world.tech_access, appointment_id=tech_appointment.pk, status="completed"
        )
    # then
    assert done.status == "completed"
    assert list(AppointmentEvent.objects.values_list("from_status", "to_status", "actor_id")) == [
        ("scheduled", "arrived", world.tech.pk),
        ("arrived", "completed", world.tech.pk),
    ]
    assert list(AuditEvent.objects.values_list("action", "detail", "patient_id")) == [
        ("update", "status=arrived", world.patient.pk),
        ("update", "status=completed", world.patient.pk),
    ]


@pytest.mark.parametrize("status", ["cancelled", "no_show"])
def test_tech_cannot_cancel_or_no_show(world, tech_appointment, status):
    with time_machine.travel(START + dt.timedelta(minutes=20), tick=False), pytest.raises(PermissionDenied):
        appointment_set_status(
            access=world.tech_access, appointment_id=tech_appointment.pk, status=status, reason="x"
        )
    tech_appointment.refresh_from_db()
    assert tech_appointment.status == "scheduled"
    assert AppointmentEvent.objects.count() == 0


def test_tech_cannot_touch_a_caseload_patients_appointment_with_someone_else(world):
    # given the tech's caseload patient sees the clinician
    a = AppointmentFactory(
        practice=world.practice, patient=world.patient, provider=world.clinician_provider, starts_at=START
    )
    with time_machine.travel(START, tick=False), pytest.raises(PermissionDenied):
        appointment_set_status(access=world.tech_access, appointment_id=a.pk, status="arrived")


def test_tech_gets_not_found_outside_caseload(world):
    a = AppointmentFactory(
        practice=world.practice,
        patient=world.other_patient,
        provider=world.clinician_provider,
        starts_at=START,
    )
    with time_machine.travel(START, tick=False), pytest.raises(NotFound):
        appointment_set_status(access=world.tech_access, appointment_id=a.pk, status="arrived")


def test_cancel_requires_a_reason_and_stores_it(world, tech_appointment):
    # when no reason
    with pytest.raises(ValidationFailed) as error:
        appointment_set_status(
            access=world.biller_access, appointment_id=tech_appointment.pk, status="cancelled"
        )
    # then nothing changed
    assert error.value.field_errors == {"reason": ["Say why the appointment is cancelled."]}
    tech_appointment.refresh_from_db()
    assert tech_appointment.status == "scheduled"
    assert AppointmentEvent.objects.count() == 0
    # when with a reason
    appointment_set_status(
        access=world.biller_access,
        appointment_id=tech_appointment.pk,
        status="cancelled",
        reason=" Patient ill ",
    )
    tech_appointment.refresh_from_db()
    assert (tech_appointment.status, tech_appointment.cancel_reason) == ("cancelled", "Patient ill")
    assert list(AppointmentEvent.objects.values_list("from_status", "to_status", "note")) == [
        ("scheduled", "cancelled", "Patient ill")
    ]


def test_no_show_before_the_start_is_refused(world, tech_appointment):
    with (
        time_machine.travel(START - dt.timedelta(minutes=1), tick=False),
        pytest.raises(ValidationFailed) as error,
    ):
        appointment_set_status(
            access=world.clinician_access, appointment_id=tech_appointment.pk, status="no_show"
        )
    assert error.value.field_errors == {
        "status": ["An appointment cannot be marked no-show before it starts."]
    }
    assert AppointmentEvent.objects.count() == 0


def test_completed_is_final(world, tech_appointment):
    with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
        appointment_set_status(
            access=world.clinician_access, appointment_id=tech_appointment.pk, status="completed"
        )
        with pytest.raises(ValidationFailed):
            appointment_set_status(
                access=world.clinician_access,
                appointment_id=tech_appointment.pk,
                status="cancelled",
                reason="x",
            )
    tech_appointment.refresh_from_db()
    assert tech_appointment.status == "completed"
    assert AppointmentEvent.objects.count() == 1


def test_unknown_status_is_a_validation_error(world, tech_appointment):
    with pytest.raises(ValidationFailed) as error:
        appointment_set_status(
            access=world.clinician_access, appointment_id=tech_appointment.pk, status="teleported"
        )
    assert error.value.field_errors == {"status": ["Choose a valid status."]}
