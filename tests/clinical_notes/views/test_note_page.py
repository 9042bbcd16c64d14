"""The note page: read-only content, signatures, the events timeline, addenda in order, who sees it."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from clinical_notes import services
from clinical_notes.models import NoteAddendum
from tests.clinical_notes.views.builders import awaiting_note, final_note, ny, returned_note, state, tech_note

pytestmark = pytest.mark.django_db


def detail_url(note):
    return reverse("clinical_notes:detail", args=[note.pk])


def test_a_final_note_is_read_only_with_signatures_and_its_history(clinic, client_for):
    # given: returned once, revised, signed again, co-signed
    note = returned_note(clinic, comment="Add the prompt levels.")
    services.note_sign(access=clinic.access(clinic.tech_user), note_id=note.pk, attested=True)
    with time_machine.travel("2026-03-10 17:30:00+00:00", tick=False):
        services.note_cosign(access=clinic.access(clinic.supervisor_user), note_id=note.pk, attested=True)
    # when
    response = client_for(clinic.tech_user).get(detail_url(note))
    # then
    view, actions = response.context["note"], response.context["actions"]
    assert (
        view.status_label,
        view.is_final,
        actions.can_edit,
        actions.can_cosign,
        actions.can_add_addendum,
    ) == (
        "Final",
        True,
        False,
        False,
        True,
    )
    assert [s.span_label for s in view.segments] == ["Mon 9 Mar 2026, 10:00–10:53 EDT"]
    assert view.total_minutes_label == "53 minutes"
    assert view.signature_line.endswith(
        f"Signed electronically by {clinic.tech.full_name}, RBT, on 2026-03-10 at 12:00 EDT."
    )
    assert view.cosignature_line.endswith(
        f"Signed electronically by {clinic.supervisor.full_name}, BCBA, on 2026-03-10 at 13:30 EDT."
    )
    assert [(e.change_label, e.comment) for e in view.events] == [
        ("Created (draft)", ""),
        ("Draft → Awaiting co-signature", ""),
        ("Awaiting co-signature → Returned for revision", "Add the prompt levels."),
        ("Returned for revision → Awaiting co-signature", ""),
        ("Awaiting co-signature → Final", ""),
    ]
    assert view.events[-1].when_label == "Tue 10 Mar 2026, 13:30 EDT"
    assert view.diagnoses == ["F84.0 Synthetic diagnosis"]
    html = response.content.decode()
    assert 'id="read-only"' in html
    assert 'id="edit-note"' not in html
    assert 'id="addendum-form"' in html


def test_addenda_are_added_and_shown_in_order(clinic, client_for):
    # given
    note = final_note(clinic)
    tech = client_for(clinic.tech_user)
    url = reverse("clinical_notes:addendum_add", args=[note.pk])
    # when: the author, then (later) the supervisor
    first = tech.post(url, {"reason": "Late entry", "text": "The caregiver called after the session."})
    with time_machine.travel("2026-03-11 14:00:00+00:00", tick=False):
        client_for(clinic.supervisor_user).post(
            url, {"reason": "Clarification", "text": "Prompt level was gestural."}
        )
    # then
    assert (first.status_code, first.url) == (302, f"{detail_url(note)}#addenda")
    view = tech.get(detail_url(note)).context["note"]
    assert [(a.number, a.author, a.reason, a.text, a.when_label) for a in view.addenda] == [
        (
            1,
            clinic.tech_user.get_full_name(),
            "Late entry",
            "The caregiver called after the session.",
            "Tue 10 Mar 2026, 12:00 EDT",
        ),
        (
            2,
            clinic.supervisor_user.get_full_name(),
            "Clarification",
            "Prompt level was gestural.",
            "Wed 11 Mar 2026, 10:00 EDT",
        ),
    ]


def test_an_addendum_without_a_reason_is_refused_on_the_form_and_changes_nothing(clinic, client_for):
    # given
    note = final_note(clinic)
    before = state(note.pk)
    # when
    response = client_for(clinic.tech_user).post(
        reverse("clinical_notes:addendum_add", args=[note.pk]), {"reason": "", "text": "Some text."}
    )
    # then
    assert response.status_code == 400
    assert response.context["addendum_form"].errors == {"reason": ["This field is required."]}
    assert response.context["addendum_form"]["text"].value() == "Some text."
    assert state(note.pk) == before


def test_a_note_that_is_not_final_takes_no_addendum(clinic, client_for):
    # given
    note = awaiting_note(clinic)
    before = state(note.pk)
    # when
    response = client_for(clinic.tech_user).post(
        reverse("clinical_notes:addendum_add", args=[note.pk]),
        {"reason": "Late", "text": "Text."},
        follow=True,
    )
    # then
    assert [str(m) for m in response.context["messages"]] == [
        "Only a final note takes addenda; edit the note instead."
    ]
    assert state(note.pk) == before
    assert NoteAddendum.objects.count() == 0


# ---------------------------------------------------------------------------- who sees what


def test_a_technician_cannot_open_another_technicians_note_outside_their_caseload(clinic, client_for):
    # given
    note = final_note(clinic)
    denied_before = AuditEvent.objects.filter(outcome="denied").count()
    # when
    client = client_for(clinic.other_tech_user)
    responses = [client.get(detail_url(note)), client.get(reverse("clinical_notes:pdf", args=[note.pk]))]
    # then
    assert [r.status_code for r in responses] == [404, 404]
    assert AuditEvent.objects.filter(outcome="denied").count() == denied_before + 2


def test_a_biller_reads_final_notes_only(clinic, client_for):
    # given
    final = final_note(clinic)
    waiting = awaiting_note(clinic, seed=4, start=ny(12, day=9))
    client = client_for(clinic.biller_user)
    # when
    ok = client.get(detail_url(final))
    hidden = client.get(detail_url(waiting))
    # then
    assert (ok.status_code, hidden.status_code) == (200, 404)
    actions = ok.context["actions"]
    assert (actions.can_edit, actions.can_cosign, actions.can_add_addendum) == (False, False, False)
    assert 'id="addendum-form"' not in ok.content.decode()


def test_a_biller_cannot_add_an_addendum(clinic, client_for):
    note = final_note(clinic)
    response = client_for(clinic.biller_user).post(
        reverse("clinical_notes:addendum_add", args=[note.pk]), {"reason": "x", "text": "y"}
    )
    assert response.status_code == 403
    assert NoteAddendum.objects.count() == 0


@pytest.mark.parametrize("route", ["detail", "pdf", "edit"])
def test_compliance_sees_no_note(clinic, client_for, route):
    note = final_note(clinic)
    assert (
        client_for(clinic.compliance_user).get(reverse(f"clinical_notes:{route}", args=[note.pk])).status_code
        == 403
    )


def test_a_draft_is_private_to_its_author(clinic, client_for):
    # given
    note = tech_note(clinic)
    # when
    statuses = [
        client_for(u).get(detail_url(note)).status_code for u in (clinic.tech_user, clinic.supervisor_user)
    ]
    # then
    assert statuses == [200, 404]


def test_reading_the_note_page_is_one_audited_view(clinic, client_for):
    # given
    note = final_note(clinic)
    client = client_for(clinic.supervisor_user)
    before = AuditEvent.objects.count()
    # when
    client.get(detail_url(note))
    # then
    events = list(AuditEvent.objects.order_by("seq")[before:])
    assert [(e.action, e.object_id, e.detail, e.patient_id) for e in events] == [
        ("view", str(note.pk), "status=final;view=full", clinic.patient.pk)
    ]
