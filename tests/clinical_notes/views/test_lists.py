"""The clinician's lists: my day, notes to write, returned notes, all notes (and billers' final notes)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from clinical_notes import services
from clinical_notes.models import SessionNote
from tests.clinical_notes.views.builders import awaiting_note, final_note, ny, returned_note, tech_note
from tests.factories.clinical_content import complete_content_for
from tests.factories.scheduling import AppointmentFactory

pytestmark = pytest.mark.django_db


def appointment(clinic, start, *, minutes=60, provider=None, patient=None, status="scheduled", **kwargs):
    return AppointmentFactory(
        practice=clinic.practice,
        patient=patient or clinic.patient,
        provider=provider or clinic.tech,
        service_type="aba_technician_treatment",
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=minutes),
        status=status,
        **kwargs,
    )


def rows(response):
    return [
        (r.time_label, r.patient_name, r.note_status_label, r.action.label if r.action else None, r.released)
        for r in response.context["page"].rows
    ]


# ---------------------------------------------------------------------------- my day


def test_my_day_lists_todays_sessions_in_the_practice_zone_with_note_status_and_button(clinic, client_for):
    # given: three of the tech's sessions today (New York), one of yesterday, one of a colleague
    first = appointment(clinic, ny(8, 30), status="completed")
    second = appointment(clinic, ny(10), status="arrived")
    appointment(clinic, ny(13), status="cancelled", cancel_reason="Sick")
    appointment(clinic, ny(23, 30, day=9))  # yesterday, running past midnight: listed yesterday
    appointment(clinic, ny(9), provider=clinic.other_tech, patient=clinic.other_patient)
    draft = services.note_create(access=clinic.access(clinic.tech_user), appointment_id=second.pk)
    name = clinic.patient.full_name
    # when
    response = client_for(clinic.tech_user).get(reverse("clinical_notes:my_day"))
    # then
    assert response.status_code == 200
    assert response.context["page"].day_label == "Tue 10 Mar 2026"
    assert rows(response) == [
        ("08:30–09:30", name, "Not started", "Write note", False),
        ("10:00–11:00", name, "Draft", "Continue", False),
        ("13:00–14:00", name, "Not started", None, True),
    ]
    page = response.context["page"]
    assert page.rows[0].action.url == reverse("clinical_notes:start", args=[first.pk])
    assert page.rows[0].action.post is True
    assert page.rows[1].action.url == reverse("clinical_notes:edit", args=[draft.pk])
    assert page.to_write_count == 1
    html = response.content.decode()
    assert f'action="{reverse("clinical_notes:start", args=[first.pk])}"' in html
    assert 'class="released"' in html


def test_my_day_shows_a_signed_note_as_a_link_to_its_page(clinic, client_for):
    # given: the note of today's 09:00 session, signed and waiting
    booked = appointment(clinic, ny(9), status="completed")
    tech = clinic.access(clinic.tech_user)
    note = services.note_create(access=tech, appointment_id=booked.pk)
    note = tech_note_from(clinic, note)
    services.note_sign(access=tech, note_id=note.pk, attested=True)
    # when
    response = client_for(clinic.tech_user).get(reverse("clinical_notes:my_day"))
    # then
    assert rows(response) == [
        ("09:00–10:00", clinic.patient.full_name, "Awaiting co-signature", "View note", False)
    ]
    assert response.context["page"].rows[0].action.url == reverse("clinical_notes:detail", args=[note.pk])


def tech_note_from(clinic, note):
    """Fill a note started from an appointment so that it can be signed."""
    return services.note_draft_update(
        access=clinic.access(clinic.tech_user),
        note_id=note.pk,
        version=note.version,
        content=complete_content_for(note.service_type, seed=3),
        diagnosis_ids=[clinic.diagnosis.pk],
    )


def test_my_day_runs_a_fixed_number_of_queries_whatever_the_number_of_sessions(
    clinic, client_for, django_assert_num_queries
):
    # given
    client = client_for(clinic.tech_user)
    tech = clinic.access(clinic.tech_user)
    booked = appointment(clinic, ny(8))
    services.note_create(access=tech, appointment_id=booked.pk)
    client.get(reverse("clinical_notes:my_day"))  # warm the session
    with django_assert_num_queries(QUERIES_MY_DAY):
        assert len(client.get(reverse("clinical_notes:my_day")).context["page"].rows) == 1
    # when: four more sessions, three of them with notes
    for hour in (9, 10, 11, 13):
        more = appointment(clinic, ny(hour))
        if hour != 13:
            services.note_create(access=tech, appointment_id=more.pk)
    # then
    with django_assert_num_queries(QUERIES_MY_DAY):
        assert len(client.get(reverse("clinical_notes:my_day")).context["page"].rows) == 5


# Session, user, MFA device, membership, provider (middleware: 5); the practice's zone (3: the view,
# the appointment list, the notes' scope); the appointments (1); the audit event (savepoint, chain
# head, insert, head update, release: 5); the notes' statuses (1); the session save (3).
QUERIES_MY_DAY = 18


def test_my_day_for_a_user_without_provider_profile_is_empty(clinic, client_for, make_member):
    # given
    user = make_member("clinician", clinic.practice)  # no provider profile
    appointment(clinic, ny(9))
    # when
    response = client_for(user).get(reverse("clinical_notes:my_day"))
    # then
    assert (response.status_code, response.context["page"].rows, response.context["page"].is_provider) == (
        200,
        [],
        False,
    )


@pytest.mark.parametrize("route", ["my_day", "to_write", "returned", "cosign_queue"])
@pytest.mark.parametrize("role_user", ["biller_user", "admin_user", "compliance_user"])
def test_clinician_screens_are_forbidden_to_non_clinical_roles(clinic, client_for, route, role_user):
    assert client_for(getattr(clinic, role_user)).get(reverse(f"clinical_notes:{route}")).status_code == 403


# ---------------------------------------------------------------------------- starting a note


def test_write_note_creates_the_draft_from_the_appointment_and_opens_the_editor(clinic, client_for):
    # given
    booked = appointment(clinic, ny(8, 30), status="completed")
    client = client_for(clinic.tech_user)
    # when
    response = client.post(reverse("clinical_notes:start", args=[booked.pk]))
    # then
    note = SessionNote.objects.get(appointment=booked)
    assert response.status_code == 302
    assert response.url == reverse("clinical_notes:edit", args=[note.pk])
    assert (note.author_id, note.patient_id, note.status, note.date_of_service, note.service_type) == (
        clinic.tech.pk,
        clinic.patient.pk,
        "draft",
        dt.date(2026, 3, 10),
        "aba_technician_treatment",
    )
    assert [(s.starts_at, s.ends_at) for s in note.segments.all()] == [(booked.starts_at, booked.ends_at)]
    # and a second click opens the same draft (no second note)
    again = client.post(reverse("clinical_notes:start", args=[booked.pk]))
    assert again.url == reverse("clinical_notes:edit", args=[note.pk])
    assert SessionNote.objects.count() == 1


def test_write_note_for_someone_elses_appointment_is_refused_and_creates_nothing(clinic, client_for):
    # given
    theirs = appointment(clinic, ny(8), provider=clinic.other_tech, patient=clinic.other_patient)
    # when
    response = client_for(clinic.tech_user).post(reverse("clinical_notes:start", args=[theirs.pk]))
    # then
    assert response.status_code == 403
    assert SessionNote.objects.count() == 0


def test_write_note_for_a_cancelled_session_says_why_and_creates_nothing(clinic, client_for):
    # given
    cancelled = appointment(clinic, ny(8), status="cancelled")
    # when
    response = client_for(clinic.tech_user).post(
        reverse("clinical_notes:start", args=[cancelled.pk]), {"next": "/notes/to-write/"}, follow=True
    )
    # then: back where they clicked, with the reason
    assert response.redirect_chain == [("/notes/to-write/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["The appointment was cancelled or missed."]
    assert SessionNote.objects.count() == 0


# ---------------------------------------------------------------------------- notes to write


def test_notes_to_write_lists_past_sessions_without_a_note_and_the_drafts(clinic, client_for):
    # given
    done = appointment(clinic, ny(9, day=9), status="completed")  # yesterday, no note
    past = appointment(clinic, ny(10), minutes=60)  # today, ended 11:00, never marked completed
    appointment(clinic, ny(13))  # later today: not yet
    appointment(clinic, ny(9, day=8), status="no_show")  # nothing to write
    written = appointment(clinic, ny(8, day=9), status="completed")
    draft = services.note_create(access=clinic.access(clinic.tech_user), appointment_id=written.pk)
    awaiting_note(clinic, seed=4)  # signed: not a draft any more
    # when
    response = client_for(clinic.tech_user).get(reverse("clinical_notes:to_write"))
    # then
    page = response.context["page"]
    assert [(r.appointment_id, r.date_label, r.time_label, r.action.label) for r in page.appointments] == [
        (done.pk, "Mon 9 Mar 2026", "09:00–10:00", "Write note"),
        (past.pk, "Tue 10 Mar 2026", "10:00–11:00", "Write note"),
    ]
    assert [(r.note_id, r.status_label, r.action.label) for r in page.drafts] == [
        (draft.pk, "Draft", "Continue")
    ]


# ---------------------------------------------------------------------------- returned notes


def test_returned_notes_show_the_supervisors_comment(clinic, client_for):
    # given
    note = returned_note(clinic, comment="Add the prompt level for each trial.")
    awaiting_note(clinic, seed=9, start=ny(11, day=9))
    # when
    response = client_for(clinic.tech_user).get(reverse("clinical_notes:returned"))
    # then
    [row] = response.context["page"].rows
    assert (row.note.note_id, row.comment, row.returned_at_label, row.note.action.label) == (
        note.pk,
        "Add the prompt level for each trial.",
        "Tue 10 Mar 2026, 12:00 EDT",
        "Continue",
    )
    assert row.returned_by == clinic.supervisor_user.get_full_name()
    assert "Add the prompt level for each trial." in response.content.decode()


def test_returned_notes_lists_only_my_notes(clinic, client_for):
    # given
    returned_note(clinic)
    # when
    response = client_for(clinic.other_tech_user).get(reverse("clinical_notes:returned"))
    # then
    assert response.context["page"].rows == []


# ---------------------------------------------------------------------------- all notes


def test_a_biller_sees_only_final_notes(clinic, client_for):
    # given
    final = final_note(clinic)
    awaiting_note(clinic, seed=5, start=ny(12, day=9))
    tech_note(clinic, seed=6, start=ny(14, day=9))
    # when
    response = client_for(clinic.biller_user).get(reverse("clinical_notes:list"))
    # then
    page = response.context["page"]
    assert [(r.note_id, r.status_label, r.action.label) for r in page.rows] == [
        (final.pk, "Final", "View note")
    ]
    assert (page.heading, page.show_tabs, page.range_label) == ("Final session notes", False, "1–1 of 1")


def test_the_notes_list_filters_by_status_for_clinicians(clinic, client_for):
    # given
    final = final_note(clinic)
    waiting = awaiting_note(clinic, seed=5, start=ny(12, day=9))
    # when
    everything = client_for(clinic.tech_user).get(reverse("clinical_notes:list"))
    finals = client_for(clinic.tech_user).get(reverse("clinical_notes:list"), {"status": "final"})
    # then
    assert [r.note_id for r in everything.context["page"].rows] == [waiting.pk, final.pk]
    assert [r.note_id for r in finals.context["page"].rows] == [final.pk]


def test_compliance_cannot_open_the_notes_list_and_reads_nothing(clinic, client_for):
    # given
    final_note(clinic)
    before = AuditEvent.objects.filter(outcome="allowed").count()
    # when
    response = client_for(clinic.compliance_user).get(reverse("clinical_notes:list"))
    # then
    assert response.status_code == 403
    assert AuditEvent.objects.filter(outcome="allowed").count() == before
