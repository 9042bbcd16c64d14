"""The notes API: the permission matrix, the response shapes, and the error shape."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from clinical_notes.models import NoteAddendum, SessionNote
from tests.clinical_notes.helpers import session_start, sign, write_note
from tests.factories import PatientFactory, PracticeFactory
from tests.factories.clinical import SessionNoteFactory
from tests.factories.clinical_content import complete_content_for

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"notes_api:{name}", kwargs=kwargs)


def tech_note(clinic, **kwargs):
    access = clinic.access(clinic.tech_user)
    return write_note(access, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk], **kwargs)


# ---------------------------------------------------------------------------- permissions


def test_anonymous_gets_nothing(client, clinic):
    note = tech_note(clinic)
    assert client.get(url("list")).status_code == 403
    assert client.get(url("detail", note_id=note.pk)).status_code == 403


def test_a_tech_cannot_read_another_techs_note_outside_the_caseload(client_for, clinic):
    # given the other tech's signed note about a patient who is not on this tech's caseload
    other = clinic.access(clinic.other_tech_user)
    note = sign(
        other,
        write_note(
            other, patient_id=clinic.other_patient.pk, diagnosis_ids=[clinic.other_patient.diagnoses.get().pk]
        ),
    )
    # when
    response = client_for(clinic.tech_user).get(url("detail", note_id=note.pk))
    listed = client_for(clinic.tech_user).get(url("list"))
    # then
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "code": "not_found", "extra": {}}
    assert listed.json()["count"] == 0


def test_a_tech_reads_a_signed_note_of_a_caseload_patient(client_for, clinic):
    other = clinic.access(clinic.other_tech_user)
    clinic.patient.care_team.create(provider=clinic.other_tech)
    note = sign(other, write_note(other, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk]))
    response = client_for(clinic.tech_user).get(url("detail", note_id=note.pk))
    assert response.status_code == 200
    assert response.json()["author"]["id"] == clinic.other_tech.pk


def test_a_biller_sees_only_final_notes(client_for, clinic):
    tech = clinic.access(clinic.tech_user)
    draft = tech_note(clinic, seed=1)
    waiting = sign(tech, tech_note(clinic, seed=2, start=session_start(hour=13)))
    final = sign(tech, tech_note(clinic, seed=3, start=session_start(hour=15)))
    client = client_for(clinic.supervisor_user)
    assert (
        client.post(
            url("cosign", note_id=final.pk), {"attested": True}, content_type="application/json"
        ).status_code
        == 200
    )
    biller = client_for(clinic.biller_user)
    # when
    listed = biller.get(url("list"))
    # then
    assert [n["id"] for n in listed.json()["results"]] == [final.pk]
    assert biller.get(url("detail", note_id=final.pk)).status_code == 200
    assert biller.get(url("detail", note_id=waiting.pk)).status_code == 404
    assert biller.get(url("detail", note_id=draft.pk)).status_code == 404


def test_another_practices_note_is_not_found(client_for, clinic):
    elsewhere = PracticeFactory()
    foreign = SessionNoteFactory(practice=elsewhere, patient=PatientFactory(practice=elsewhere))
    for user in (clinic.tech_user, clinic.supervisor_user, clinic.biller_user):
        client = client_for(user)
        assert client.get(url("detail", note_id=foreign.pk)).status_code == 404
        assert client.get(url("checks", note_id=foreign.pk)).status_code == 404
        response = client.patch(
            url("update", note_id=foreign.pk), {"version": 1}, content_type="application/json"
        )
        assert response.status_code in (403, 404)
    assert SessionNote.objects.get(pk=foreign.pk).version == 1


def test_compliance_reads_no_notes(client_for, clinic):
    note = tech_note(clinic)
    client = client_for(clinic.compliance_user)
    assert client.get(url("list")).status_code == 403
    assert client.get(url("detail", note_id=note.pk)).status_code == 403


def test_a_supervisor_cosigns_only_supervisees_notes(client_for, clinic, make_member):
    stranger = make_member("supervisor", clinic.practice, provider=True, credential="BCBA")
    clinic.patient.care_team.create(provider=stranger.provider_profiles.get())
    note = sign(clinic.access(clinic.tech_user), tech_note(clinic))
    response = client_for(stranger).post(
        url("cosign", note_id=note.pk), {"attested": True}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert SessionNote.objects.get(pk=note.pk).status == "awaiting_cosign"


def test_a_tech_edits_only_own_drafts(client_for, clinic):
    note = sign(clinic.access(clinic.tech_user), tech_note(clinic))
    response = client_for(clinic.supervisor_user).patch(
        url("update", note_id=note.pk),
        {"version": note.version, "content": {}},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert SessionNote.objects.get(pk=note.pk).content != {}


# ---------------------------------------------------------------------------- the flow over HTTP


def test_write_sign_return_revise_cosign_addendum_over_the_api(client_for, clinic):
    tech = client_for(clinic.tech_user)
    supervisor = client_for(clinic.supervisor_user)
    # create
    created = tech.post(
        url("create"),
        {
            "patient_id": clinic.patient.pk,
            "service_type": "aba_technician_treatment",
            "date_of_service": "2026-03-09",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    note_id = body["id"]
    assert (body["status"], body["version"], body["segments"], body["events"][0]["to_status"]) == (
        "draft",
        1,
        [],
        "draft",
    )
    # autosave
    start = session_start()
    saved = tech.patch(
        url("update", note_id=note_id),
        {
            "version": 1,
            "content": complete_content_for("aba_technician_treatment", seed=4),
            "segments": [
                {"starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(minutes=45)).isoformat()}
            ],
            "measurements": [{"instrument": "PHQ9", "score": 30}],
            "diagnosis_ids": [clinic.diagnosis.pk],
        },
        content_type="application/json",
    )
    assert saved.status_code == 200
    assert (saved.json()["version"], saved.json()["minutes"], saved.json()["segments"][0]["minutes"]) == (
        2,
        45,
        45,
    )
    # live checks
    checks = tech.get(url("checks", note_id=note_id)).json()
    assert (checks["error_count"], checks["warning_count"], checks["minutes"], checks["clone"]) == (
        1,
        0,
        45,
        None,
    )
    assert checks["problems"][0]["code"] == "measurement_out_of_range"
    # sign is refused with the problems
    refused = tech.post(url("sign", note_id=note_id), {"attested": True}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "documentation_incomplete"
    assert [p["code"] for p in refused.json()["extra"]["problems"]] == [
        "documentation_errors",
        "measurement_out_of_range",
    ]
    assert refused.json()["extra"]["fields"]["measurements[0].score"] == ["PHQ-9 score 30 is outside 0–27."]
    # a stale save is a conflict
    stale = tech.patch(
        url("update", note_id=note_id), {"version": 1, "measurements": []}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json() == {
        "message": "Someone saved this note since you opened it. Reload to see the latest version.",
        "code": "stale_version",
        "extra": {"current_version": 2},
    }
    tech.patch(
        url("update", note_id=note_id), {"version": 2, "measurements": []}, content_type="application/json"
    )
    signed = tech.post(url("sign", note_id=note_id), {"attested": True}, content_type="application/json")
    assert (signed.status_code, signed.json()["status"], signed.json()["supervisor"]["id"]) == (
        200,
        "awaiting_cosign",
        clinic.supervisor.pk,
    )
    # the supervisor's queue, then return with a comment
    queue = supervisor.get(url("cosign_queue")).json()
    assert (queue["overdue_days"], [i["note_id"] for i in queue["results"]]) == (3, [note_id])
    mine = supervisor.get(url("list"), {"awaiting_my_cosign": "true"}).json()
    assert [n["id"] for n in mine["results"]] == [note_id]
    returned = supervisor.post(
        url("return", note_id=note_id), {"comment": "Add the trial counts."}, content_type="application/json"
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["events"][-1]["comment"] == "Add the trial counts."
    # revise and re-sign, co-sign, addendum
    tech.patch(
        url("update", note_id=note_id),
        {"version": 3, "content": complete_content_for("aba_technician_treatment", seed=5)},
        content_type="application/json",
    )
    assert (
        tech.post(
            url("sign", note_id=note_id), {"attested": True}, content_type="application/json"
        ).status_code
        == 200
    )
    final = supervisor.post(
        url("cosign", note_id=note_id), {"attested": True}, content_type="application/json"
    )
    assert (final.status_code, final.json()["status"]) == (200, "final")
    addendum = tech.post(
        url("addendum_add", note_id=note_id),
        {"reason": "Late entry", "text": "Parent reported a good evening."},
        content_type="application/json",
    )
    assert addendum.status_code == 201
    assert (addendum.json()["reason"], addendum.json()["author"]) == ("Late entry", clinic.tech_user.username)
    detail = tech.get(url("detail", note_id=note_id)).json()
    assert [e["to_status"] for e in detail["events"]] == [
        "draft",
        "awaiting_cosign",
        "returned",
        "awaiting_cosign",
        "final",
    ]
    assert [a["text"] for a in detail["addenda"]] == ["Parent reported a good evening."]
    # a final note cannot be patched
    patched = tech.patch(
        url("update", note_id=note_id), {"version": 4, "content": {}}, content_type="application/json"
    )
    assert (patched.status_code, patched.json()["code"]) == (409, "note_not_editable")


def test_create_from_an_appointment_over_the_api(client_for, clinic):
    from tests.factories.scheduling import AppointmentFactory

    appointment = AppointmentFactory(practice=clinic.practice, patient=clinic.patient, provider=clinic.tech)
    response = client_for(clinic.tech_user).post(
        url("create"), {"appointment_id": appointment.pk}, content_type="application/json"
    )
    assert response.status_code == 201
    assert (
        response.json()["appointment_id"],
        response.json()["service_type"],
        len(response.json()["segments"]),
    ) == (
        appointment.pk,
        "individual_psychotherapy",
        1,
    )


def test_bad_input_is_a_validation_error_in_the_one_shape(client_for, clinic):
    note = tech_note(clinic)
    response = client_for(clinic.tech_user).patch(
        url("update", note_id=note.pk),
        {"version": "x", "segments": [{"starts_at": "yesterday"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], sorted(body["extra"]["fields"])) == (
        "validation_failed",
        ["segments[0].ends_at", "segments[0].starts_at", "version"],
    )


def test_list_rejects_an_unknown_status(client_for, clinic):
    response = client_for(clinic.tech_user).get(url("list"), {"status": "lost"})
    assert response.status_code == 400


def test_delete_a_draft_over_the_api(client_for, clinic):
    note = tech_note(clinic)
    assert client_for(clinic.other_tech_user).delete(url("delete", note_id=note.pk)).status_code == 404
    assert client_for(clinic.tech_user).delete(url("delete", note_id=note.pk)).status_code == 204
    assert not SessionNote.objects.filter(pk=note.pk).exists()
    assert NoteAddendum.objects.count() == 0
