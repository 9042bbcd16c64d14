"""The supervisor's co-sign queue: oldest first, findings, the diff, overdue highlighting, reminders,
and co-sign / return in one click (from the queue and from the note page)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from clinical_notes import services
from clinical_notes.models import NoteEvent, SessionNote
from tests.clinical_notes.views.builders import awaiting_note, final_note, ny, state, tech_note
from tests.factories.clinical import PlanGoalFactory, PlanProblemFactory, TreatmentPlanFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("clinical_notes:cosign_queue")


@pytest.fixture
def overdue_plan(clinic):
    """An active plan whose review date passed before the sessions: signing stores a warning."""
    plan = TreatmentPlanFactory(
        practice=clinic.practice,
        patient=clinic.patient,
        author=clinic.supervisor,
        starts_on=dt.date(2025, 1, 1),
        review_on=dt.date(2026, 2, 28),
    )
    return PlanGoalFactory(problem=PlanProblemFactory(plan=plan))


def test_the_queue_is_oldest_first_with_findings_diff_and_overdue_highlight(
    clinic, client_for, overdue_plan, settings
):
    # given: a note signed five days ago (overdue after 3) and one signed now, of the same patient
    settings.COSIGN_OVERDUE_DAYS = 3
    old = awaiting_note(
        clinic, signed_at=dt.datetime(2026, 3, 5, 15, tzinfo=dt.UTC), start=ny(10, day=4), seed=2
    )
    new = awaiting_note(clinic, seed=3)
    services.cosign_reminders_send(today=dt.date(2026, 3, 10))
    # when
    response = client_for(clinic.supervisor_user).get(QUEUE)
    # then
    page = response.context["page"]
    assert [(r.note_id, r.waiting_label, r.overdue, r.reminder_label) for r in page.rows] == [
        (old.pk, "Waiting 5 days", True, "Reminder sent Tue 10 Mar 2026"),
        (new.pk, "Waiting 0 days", False, ""),
    ]
    assert page.overdue_count == 1
    first, second = page.rows
    assert (first.patient_name, first.service_label, first.date_label, first.signed_label) == (
        f"{clinic.patient.last_name}, {clinic.patient.first_name}",
        "ABA treatment by technician",
        "Wed 4 Mar 2026",
        "Thu 5 Mar 2026, 10:00 EST",
    )
    assert [(f.severity_label, f.message) for f in first.findings] == [
        ("Warning", "The treatment plan's review date (Sat 28 Feb 2026) passed before this session.")
    ]
    # the first note has no earlier signed note; the second is compared with the first
    assert first.clone is None
    assert second.clone.previous_note_id == old.pk
    assert second.clone.previous_label == f"Note {old.pk} of Wed 4 Mar 2026"
    assert [line.text for line in second.clone.lines[:2]] == [
        f"--- note {old.pk} (Wed 4 Mar 2026)",
        "+++ this note",
    ]
    added = [line.text[1:] for line in second.clone.lines if line.css == "add"]
    assert new.content["behavior_data"] in added
    html = response.content.decode()
    assert 'class="panel queue-item overdue"' in html
    assert "1 overdue" in html


def test_a_copied_note_shows_as_identical_in_the_queue(clinic, client_for):
    # given: the same narrative twice
    first = awaiting_note(clinic, start=ny(10, day=6), seed=7)
    copy = awaiting_note(clinic, seed=7)
    # when
    page = client_for(clinic.supervisor_user).get(QUEUE).context["page"]
    # then
    row = next(r for r in page.rows if r.note_id == copy.pk)
    assert (row.clone.previous_note_id, row.clone.similarity_label, row.clone.similar, row.clone.lines) == (
        first.pk,
        "100% the same as the previous note",
        True,
        [],
    )
    assert [f.message.split(";")[0] for f in row.findings] == [
        f"The narrative is 100% the same as note {first.pk} of Fri 6 Mar 2026"
    ]


def test_the_queue_shows_only_notes_of_my_supervisees(clinic, client_for):
    # given
    awaiting_note(clinic)
    # when
    clinician = client_for(clinic.clinician_user).get(QUEUE).context["page"]
    tech = client_for(clinic.tech_user).get(QUEUE)
    # then: a clinician who supervises nobody has an empty queue; technicians have none at all
    assert clinician.rows == []
    assert tech.status_code == 403


def test_the_queue_runs_a_fixed_number_of_queries_whatever_its_length(
    clinic, client_for, django_assert_num_queries
):
    # given
    client = client_for(clinic.supervisor_user)
    final_note(clinic, start=ny(8, day=1), seed=11)  # out of the queue; the others diff against it
    awaiting_note(clinic, start=ny(8, day=2), seed=1)
    client.get(QUEUE)
    with django_assert_num_queries(QUERIES_QUEUE):
        assert len(client.get(QUEUE).context["page"].rows) == 1
    # when: three more, each with a previous note to diff against
    for day in (3, 4, 5):
        awaiting_note(clinic, start=ny(8, day=day), seed=day)
    # then
    with django_assert_num_queries(QUERIES_QUEUE):
        assert len(client.get(QUEUE).context["page"].rows) == 4


# Middleware (5); the queue (the practice's zone twice, its counts, the page's rows: 4) and its audit event (5); the
# notes' content with their previous notes' ids (zone + rows: 2); the previous notes (1); the
# reminders (1); the zone for the labels (1); the session save (3). None of them per row.
QUERIES_QUEUE = 22


# ---------------------------------------------------------------------------- co-sign and return


def test_cosign_from_the_queue_in_one_click_makes_the_note_final(clinic, client_for):
    # given
    note = awaiting_note(clinic)
    # when
    response = client_for(clinic.supervisor_user).post(
        reverse("clinical_notes:cosign", args=[note.pk]), {"attested": "on", "next": QUEUE}
    )
    # then
    note.refresh_from_db()
    assert (response.status_code, response.url) == (302, QUEUE)
    assert (note.status, note.cosigned_by_id) == ("final", clinic.supervisor_user.pk)
    assert note.cosign_attestation.startswith("I attest that I supervised this service")


def test_cosign_without_the_attestation_changes_nothing(clinic, client_for):
    # given
    note = awaiting_note(clinic)
    before = state(note.pk)
    # when
    response = client_for(clinic.supervisor_user).post(
        reverse("clinical_notes:cosign", args=[note.pk]), {"next": QUEUE}, follow=True
    )
    # then
    assert [str(m) for m in response.context["messages"]] == [
        "Tick the attestation to co-sign; nothing was changed."
    ]
    assert response.redirect_chain == [(QUEUE, 302)]
    assert state(note.pk) == before


def test_return_from_the_queue_needs_a_comment_and_keeps_it(clinic, client_for):
    # given
    note = awaiting_note(clinic)
    before = state(note.pk)
    client = client_for(clinic.supervisor_user)
    url = reverse("clinical_notes:return", args=[note.pk])
    # when: no comment
    refused = client.post(url, {"comment": "   ", "next": QUEUE}, follow=True)
    # then
    assert [str(m) for m in refused.context["messages"]] == [
        "Say what the author should change; the note was not returned."
    ]
    assert state(note.pk) == before
    # when: with a comment
    response = client.post(url, {"comment": "Add the prompt levels.", "next": QUEUE})
    # then
    note.refresh_from_db()
    assert (response.status_code, response.url, note.status, note.signed_at) == (302, QUEUE, "returned", None)
    assert list(note.events.values_list("to_status", "comment"))[-1] == ("returned", "Add the prompt levels.")


def test_the_author_cannot_cosign_their_own_note(clinic, client_for):
    # given
    note = awaiting_note(clinic)
    before = state(note.pk)
    # when
    response = client_for(clinic.tech_user).post(
        reverse("clinical_notes:cosign", args=[note.pk]), {"attested": "on"}
    )
    # then
    assert response.status_code == 403
    assert state(note.pk) == before


def test_a_clinician_who_does_not_supervise_cannot_return_the_note(clinic, client_for):
    # given
    note = awaiting_note(clinic)
    before = state(note.pk)
    # when
    response = client_for(clinic.clinician_user).post(
        reverse("clinical_notes:return", args=[note.pk]), {"comment": "No."}
    )
    # then
    assert response.status_code == 404
    assert state(note.pk) == before


def test_cosign_after_someone_else_acted_says_so_and_changes_nothing(clinic, client_for):
    # given: the note was returned in another tab
    note = awaiting_note(clinic)
    services.note_return(access=clinic.access(clinic.supervisor_user), note_id=note.pk, comment="Fix it.")
    before = state(note.pk)
    # when
    response = client_for(clinic.supervisor_user).post(
        reverse("clinical_notes:cosign", args=[note.pk]), {"attested": "on", "next": QUEUE}, follow=True
    )
    # then
    assert response.redirect_chain[0] == (reverse("clinical_notes:detail", args=[note.pk]), 302)
    assert len(list(response.context["messages"])) == 1
    assert state(note.pk) == before


def test_next_must_stay_on_this_site(clinic, client_for):
    # given
    note = awaiting_note(clinic)
    # when
    response = client_for(clinic.supervisor_user).post(
        reverse("clinical_notes:cosign", args=[note.pk]), {"attested": "on", "next": "https://evil.example/"}
    )
    # then
    assert response.url == reverse("clinical_notes:detail", args=[note.pk])


def test_the_note_page_offers_cosign_and_return_to_the_supervisor_only(clinic, client_for):
    # given
    note = awaiting_note(clinic)
    url = reverse("clinical_notes:detail", args=[note.pk])
    # when
    supervisor = client_for(clinic.supervisor_user).get(url)
    author = client_for(clinic.tech_user).get(url)
    # then
    assert (supervisor.context["actions"].can_cosign, author.context["actions"].can_cosign) == (True, False)
    assert 'class="cosign-form"' in supervisor.content.decode()
    assert 'class="cosign-form"' not in author.content.decode()


def test_a_draft_never_reaches_the_queue(clinic, client_for):
    # given
    tech_note(clinic)
    # when
    page = client_for(clinic.supervisor_user).get(QUEUE).context["page"]
    # then
    assert page.rows == []
    assert SessionNote.objects.count() == 1


def test_the_card_shows_the_note_with_tracked_changes_and_the_days_since_the_session(clinic, client_for):
    # given: an earlier final note, then a note of 4 March signed on 10 March (due within 3 days)
    old = final_note(clinic, start=ny(8, day=2), seed=11)
    awaiting_note(clinic, start=ny(10, day=4), seed=12)
    # when
    page = client_for(clinic.supervisor_user).get(QUEUE).context["page"]
    # then
    (row,) = page.rows
    assert row.clone.previous_note_id == old.pk
    assert row.service_label_days == "session 6 days ago"
    assert row.late_label == "signed 3 days late"
    changed = [f for f in row.clone.fields if f.changed]
    assert changed, "the second note's narrative differs from the first"
    assert {p.change for f in changed for p in f.pieces} >= {"inserted"}


def test_several_clean_notes_are_co_signed_in_one_pass_each_with_its_own_event(clinic, client_for):
    # given: two clean notes waiting, and one already final
    first = awaiting_note(clinic, start=ny(10, day=4), seed=21)
    second = awaiting_note(clinic, start=ny(10, day=5), seed=22)
    SessionNote.objects.filter(pk__in=[first.pk, second.pk]).update(findings=[])
    done = final_note(clinic, start=ny(8, day=2), seed=23)
    client = client_for(clinic.supervisor_user)
    # when
    response = client.post(
        reverse("clinical_notes:cosign_many"), {"note_ids": [str(first.pk), str(second.pk), str(done.pk)]}
    )
    # then: both co-signed through the service (one event each), the final one refused by name
    assert response.status_code == 302
    statuses = dict(SessionNote.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "status"))
    assert statuses == {first.pk: "final", second.pk: "final"}
    events = NoteEvent.objects.filter(note_id__in=[first.pk, second.pk], to_status="final")
    assert sorted(events.values_list("note_id", flat=True)) == sorted([first.pk, second.pk])
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts[0] == "Co-signed 2 notes: they are final."
    assert texts[1].startswith(f"Not co-signed — note {done.pk}:")


def test_nothing_ticked_co_signs_nothing(clinic, client_for):
    note = awaiting_note(clinic, start=ny(10, day=4), seed=31)
    response = client_for(clinic.supervisor_user).post(reverse("clinical_notes:cosign_many"), {})
    assert response.status_code == 302
    assert SessionNote.objects.get(pk=note.pk).status == "awaiting_cosign"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Tick at least one note to co-sign. Nothing was changed."
    ]
