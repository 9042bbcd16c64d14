"""The note editor: a form generated from the service type's template, the server-side Save, the
live checks panel's first state, signing with the attestation, and the error paths (nothing changes)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from clinical_notes.models import SessionNote
from tests.clinical_notes.helpers import write_note
from tests.clinical_notes.views.builders import awaiting_note, final_note, form_data, ny, state, tech_note
from tests.factories.clinical import (
    PatientDiagnosisFactory,
    PlanGoalFactory,
    PlanProblemFactory,
    TreatmentPlanFactory,
)
from tests.factories.clinical_content import complete_content_for

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def edit_url(note):
    return reverse("clinical_notes:edit", args=[note.pk])


def editor(client, note):
    response = client.get(edit_url(note))
    assert response.status_code == 200
    return response.context["page"]


# ---------------------------------------------------------------------------- the form


def test_the_form_follows_the_service_types_template(clinic, client_for):
    # given
    note = tech_note(clinic)
    # when
    page = editor(client_for(clinic.tech_user), note)
    # then: text fields in the catalog's order, required ones marked
    assert [(f.field.label, f.required) for f in page.narrative] == [
        ("Session focus", False),
        ("Intervention details", False),
        ("Targets and data", True),
        ("Response to interventions", True),
        ("Progress toward goals", True),
        ("Medical necessity", False),
        ("Plan", True),
    ]
    assert page.risk == []
    assert (page.interventions.required, page.participants_present.required, page.diagnoses.required) == (
        True,
        True,
        True,
    )
    assert [code for code, _label in page.interventions.field.field.choices] == [
        "dtt",
        "net",
        "prompting",
        "reinforcement",
        "task_analysis",
        "fct",
        "bip",
        "other",
    ]
    ranges = {m.field.label: m.range_label for m in page.measurements}
    assert (ranges["PHQ-9"], ranges["GAD-7"], ranges["Kessler K10"]) == ("0–27", "0–21", "10–50")
    assert page.min_minutes_label == "At least 8 minutes of face-to-face time."
    # times in the practice's zone (the note's 14:00 UTC session is 10:00 in New York)
    first, blank = page.segments
    assert (first.start.value(), first.end.value(), first.crisis) == (
        "2026-03-09T10:00",
        "2026-03-09T10:53",
        None,
    )
    assert (blank.start.value(), blank.end.value()) == (None, None)
    assert page.config == {
        "noteId": note.pk,
        "updateUrl": f"/api/notes/{note.pk}/update/",
        "checksUrl": f"/api/notes/{note.pk}/checks/",
        "timezone": "America/New_York",
        "carried": {},
        "templateFields": [
            "participants",
            "interventions",
            "behavior_data",
            "patient_response",
            "progress",
            "plan",
            "interventions_other",
            "session_focus",
            "medical_necessity",
        ],
    }
    assert (page.checks.ready_to_sign, page.checks.minutes_label) == (True, "53 minutes")


def test_a_crisis_note_has_a_required_risk_assessment_and_crisis_times(clinic, client_for):
    # given
    note = write_note(
        clinic.access(clinic.clinician_user),
        patient_id=clinic.patient.pk,
        diagnosis_ids=[clinic.diagnosis.pk],
        service_type="crisis_psychotherapy",
        content={},
    )
    # when
    page = editor(client_for(clinic.clinician_user), note)
    # then
    assert page.risk_required is True
    assert [(f.field.label, f.required) for f in page.risk] == [
        ("Risk assessment", True),
        ("Safety plan", True),
    ]
    assert page.segments[0].crisis is not None
    assert "Risk assessment is required for crisis psychotherapy." in [f.message for f in page.checks.errors]
    assert 'id="risk-assessment"' in page_html(client_for(clinic.clinician_user), note)


def page_html(client, note):
    return client.get(edit_url(note)).content.decode()


def test_diagnoses_are_the_patients_active_ones_and_goals_come_from_the_active_plan(clinic, client_for):
    # given
    PatientDiagnosisFactory(patient=clinic.patient, code="F411", resolved_on=dt.date(2025, 12, 1))
    active = TreatmentPlanFactory(practice=clinic.practice, patient=clinic.patient, author=clinic.supervisor)
    goal = PlanGoalFactory(problem=PlanProblemFactory(plan=active), description="Tolerates transitions")
    draft = TreatmentPlanFactory(
        practice=clinic.practice, patient=clinic.patient, author=clinic.supervisor, status="draft"
    )
    PlanGoalFactory(problem=PlanProblemFactory(plan=draft), description="Not yet agreed")
    note = tech_note(clinic)
    # when
    page = editor(client_for(clinic.tech_user), note)
    # then
    assert page.diagnoses.field.field.choices == [(clinic.diagnosis.pk, "F84.0 Synthetic diagnosis")]
    assert page.diagnoses.field.value() == [clinic.diagnosis.pk]
    assert [(g.check.label, g.check.value()) for g in page.goals] == [("Tolerates transitions", None)]
    assert page.goals[0].check.name == f"goal-{goal.pk}"


def test_a_returned_note_shows_the_supervisors_comment_in_the_editor(clinic, client_for):
    # given
    from tests.clinical_notes.views.builders import returned_note

    note = returned_note(clinic, comment="Name the prompts you faded.")
    # when
    page = editor(client_for(clinic.tech_user), note)
    # then
    assert (page.return_comment, page.status_label) == (
        "Name the prompts you faded.",
        "Returned for revision",
    )


# ---------------------------------------------------------------------------- who may edit


def test_another_technician_cannot_open_the_draft(clinic, client_for):
    note = tech_note(clinic)
    assert client_for(clinic.other_tech_user).get(edit_url(note)).status_code == 404


def test_a_signed_note_opens_read_only(clinic, client_for):
    # given
    note = final_note(clinic)
    # when
    response = client_for(clinic.tech_user).get(edit_url(note), follow=True)
    # then
    assert response.redirect_chain == [(reverse("clinical_notes:detail", args=[note.pk]), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "This note is final; it can no longer be edited."
    ]


def test_the_supervisor_reviewing_is_sent_to_the_note_page(clinic, client_for):
    note = awaiting_note(clinic)
    response = client_for(clinic.supervisor_user).get(edit_url(note))
    assert (response.status_code, response.url) == (302, reverse("clinical_notes:detail", args=[note.pk]))


# ---------------------------------------------------------------------------- Save (without JS)


def test_save_stores_the_form_with_local_times_in_the_practice_zone(clinic, client_for):
    # given
    note = tech_note(clinic)
    client = client_for(clinic.tech_user)
    data = form_data(
        editor(client, note).form,
        **{
            "content-patient_response": "Asked for help with a card\r\non eleven of twelve trials and waited.",
            "segment-0-start": "2026-03-09T10:15",
            "segment-0-end": "2026-03-09T11:05",
            "segment-1-start": "2026-03-09T23:40",  # a second stretch, past midnight
            "segment-1-end": "2026-03-10T00:20",
            "measure-PHQ9": "12",
            "action": "save",
        },
    )
    # when
    response = client.post(edit_url(note), data)
    # then
    saved = SessionNote.objects.get(pk=note.pk)
    assert (response.status_code, response.url) == (302, edit_url(note))
    assert saved.version == note.version + 1
    assert (
        saved.content["patient_response"]
        == "Asked for help with a card\non eleven of twelve trials and waited."
    )
    assert [(s.starts_at, s.ends_at) for s in saved.segments.order_by("starts_at")] == [
        (dt.datetime(2026, 3, 9, 14, 15, tzinfo=UTC), dt.datetime(2026, 3, 9, 15, 5, tzinfo=UTC)),
        (dt.datetime(2026, 3, 10, 3, 40, tzinfo=UTC), dt.datetime(2026, 3, 10, 4, 20, tzinfo=UTC)),
    ]
    assert list(saved.measurements.values_list("instrument", "score")) == [("PHQ9", 12)]
    assert saved.content["participants"] == {"patient_present": True, "others": ""}
    assert list(saved.note_diagnoses.values_list("diagnosis_id", flat=True)) == [clinic.diagnosis.pk]


def test_saving_an_unchanged_form_changes_nothing(clinic, client_for):
    # given
    note = tech_note(clinic)
    client = client_for(clinic.tech_user)
    before = state(note.pk)
    # when
    response = client.post(edit_url(note), form_data(editor(client, note).form, action="save"))
    # then
    assert response.status_code == 302
    assert state(note.pk) == before


def test_content_of_another_template_is_kept_when_saving(clinic, client_for):
    # given: a note that was first written as psychotherapy (mental status), now ABA
    content = {**complete_content_for("aba_technician_treatment", seed=2), "mental_status": "Calm, oriented."}
    note = tech_note(clinic, content=content)
    client = client_for(clinic.tech_user)
    # when
    client.post(
        edit_url(note), form_data(editor(client, note).form, **{"content-plan": "Next: fade prompts."})
    )
    # then
    saved = SessionNote.objects.get(pk=note.pk)
    assert (saved.content["mental_status"], saved.content["plan"]) == (
        "Calm, oriented.",
        "Next: fade prompts.",
    )


@pytest.mark.parametrize(
    ("_case", "changes", "field", "message"),
    [
        (
            "a time in the spring-forward gap",
            {"segment-0-start": "2026-03-08T02:30", "segment-0-end": "2026-03-08T03:30"},
            "segment-0-start",
            "02:30 on Sun 8 Mar 2026 does not exist in America/New_York: clocks move forward an hour that night. "
            "Choose a time before or after the gap.",
        ),
        ("an end without a start", {"segment-1-end": "2026-03-09T12:00"}, "segment-1-start",
         "Enter both the start and the end."),
        ("not a date-time", {"segment-0-end": "half past ten"}, "segment-0-end", None),
        ("a score out of range", {"measure-PHQ9": "30"}, "measure-PHQ9", "Ensure this value is less than or equal to 27."),
        ("an unknown intervention", {"content-interventions": ["hypnosis"]}, "content-interventions", None),
        ("another patient's diagnosis", {"diagnosis_ids": ["999999"]}, "diagnosis_ids", None),
    ],
)  # fmt: skip
def test_form_errors_show_on_the_form_and_change_nothing(clinic, client_for, _case, changes, field, message):
    # given
    note = tech_note(clinic)
    client = client_for(clinic.tech_user)
    before = state(note.pk)
    data = form_data(editor(client, note).form, **{"content-plan": "A new plan.", **changes})
    # when
    response = client.post(edit_url(note), data)
    # then
    assert response.status_code == 400
    errors = response.context["page"].form.errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert state(note.pk) == before


def test_a_stale_save_is_a_conflict_and_changes_nothing(clinic, client_for):
    # given: the editor was opened, then the draft was saved elsewhere (autosave in another tab)
    note = tech_note(clinic)
    client = client_for(clinic.tech_user)
    data = form_data(editor(client, note).form, **{"content-plan": "Plan typed in this tab."})
    client.post(edit_url(note), form_data(editor(client, note).form, **{"content-plan": "Saved elsewhere."}))
    before = state(note.pk)
    # when
    response = client.post(edit_url(note), data)
    # then
    assert response.status_code == 409
    assert response.context["page"].form_errors == [
        "Someone saved this note since you opened it. Reload to see the latest version."
    ]
    assert state(note.pk) == before


# ---------------------------------------------------------------------------- Sign


def sign_url(note):
    return reverse("clinical_notes:sign", args=[note.pk])


def test_sign_from_the_editor_saves_what_was_typed_then_signs(clinic, client_for):
    # given
    note = tech_note(clinic)
    client = client_for(clinic.tech_user)
    data = form_data(
        editor(client, note).form, attested="on", **{"content-plan": "Fade the visual prompt next time."}
    )
    # when
    response = client.post(sign_url(note), data, follow=True)
    # then
    signed = SessionNote.objects.get(pk=note.pk)
    assert response.redirect_chain == [(reverse("clinical_notes:detail", args=[note.pk]), 302)]
    assert (signed.status, signed.content["plan"], signed.supervisor_id) == (
        "awaiting_cosign",
        "Fade the visual prompt next time.",
        clinic.supervisor.pk,
    )
    assert [str(m) for m in response.context["messages"]] == [
        f"Signed and sent to {clinic.supervisor.full_name}, BCBA for co-signature."
    ]


def test_an_unsupervised_clinician_signs_and_the_note_is_final(clinic, client_for):
    # given
    note = write_note(
        clinic.access(clinic.clinician_user),
        patient_id=clinic.patient.pk,
        diagnosis_ids=[clinic.diagnosis.pk],
        service_type="individual_psychotherapy",
    )
    client = client_for(clinic.clinician_user)
    # when
    response = client.post(sign_url(note), form_data(editor(client, note).form, attested="on"), follow=True)
    # then
    assert SessionNote.objects.get(pk=note.pk).status == "final"
    assert [str(m) for m in response.context["messages"]] == ["Signed. The note is final."]


def test_signing_an_incomplete_note_lists_what_blocks_it_and_changes_nothing(clinic, client_for):
    # given
    content = complete_content_for("aba_technician_treatment", seed=1)
    del content["plan"]
    note = tech_note(clinic, content=content)
    client = client_for(clinic.tech_user)
    before = state(note.pk)
    # when
    response = client.post(sign_url(note), form_data(editor(client, note).form, attested="on"))
    # then
    assert response.status_code == 400
    assert [f.message for f in response.context["page"].sign_errors] == [
        "The note has 1 documentation problem to fix before signing.",
        "Plan is required for aba treatment by technician.",
    ]
    assert 'id="sign-errors"' in response.content.decode()
    assert state(note.pk) == before


def test_signing_without_the_attestation_changes_nothing(clinic, client_for):
    # given
    note = tech_note(clinic)
    client = client_for(clinic.tech_user)
    before = state(note.pk)
    # when
    response = client.post(sign_url(note), form_data(editor(client, note).form))
    # then
    assert response.status_code == 400
    assert [f.message for f in response.context["page"].sign_errors] == ["Confirm the attestation to sign."]
    assert state(note.pk) == before


def test_sign_without_the_editors_fields_signs_the_saved_note(clinic, client_for):
    # given
    note = tech_note(clinic)
    # when
    response = client_for(clinic.tech_user).post(sign_url(note), {"attested": "on", "version": note.version})
    # then
    assert response.status_code == 302
    assert SessionNote.objects.get(pk=note.pk).status == "awaiting_cosign"


def test_someone_else_cannot_sign_the_draft(clinic, client_for):
    note = tech_note(clinic)
    before = state(note.pk)
    response = client_for(clinic.other_tech_user).post(sign_url(note), {"attested": "on"})
    assert response.status_code == 404
    assert state(note.pk) == before


def test_a_biller_cannot_reach_the_editor_or_sign(clinic, client_for):
    note = tech_note(clinic)
    client = client_for(clinic.biller_user)
    assert (
        client.get(edit_url(note)).status_code,
        client.post(sign_url(note), {"attested": "on"}).status_code,
    ) == (
        403,
        403,
    )


def test_times_on_the_day_clocks_go_back_are_taken_as_the_first_occurrence(clinic, client_for):
    # given: a session written for 1 November 2026 (01:30 happens twice in New York)
    note = tech_note(clinic, start=ny(0, 30, day=9))
    client = client_for(clinic.tech_user)
    data = form_data(
        editor(client, note).form,
        **{
            "segment-0-start": "2026-11-01T01:10",
            "segment-0-end": "2026-11-01T01:50",
            "date_of_service": "2026-11-01",
        },
    )
    # when
    response = client.post(edit_url(note), data, follow=True)
    # then
    saved = SessionNote.objects.get(pk=note.pk)
    assert [(s.starts_at, s.ends_at) for s in saved.segments.all()] == [
        (dt.datetime(2026, 11, 1, 5, 10, tzinfo=UTC), dt.datetime(2026, 11, 1, 5, 50, tzinfo=UTC))
    ]
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "01:10 on Sun 1 Nov 2026 happens twice in America/New_York (clocks move back); taken as the first one "
        "(EDT, UTC−04:00).",
        "01:50 on Sun 1 Nov 2026 happens twice in America/New_York (clocks move back); taken as the first one "
        "(EDT, UTC−04:00).",
        "Draft saved.",
    ]


# ---------------------------------------------------------------------------- E/M and add-ons (issue 8, item 3)


def em_note(clinic):
    return write_note(
        clinic.access(clinic.clinician_user),
        patient_id=clinic.patient.pk,
        diagnosis_ids=[clinic.diagnosis.pk],
        service_type="individual_psychotherapy_with_em",
        content={},
    )


def test_psychotherapy_with_em_shows_the_em_level_its_support_and_interactive_complexity(clinic, client_for):
    # given
    note = em_note(clinic)
    # when
    page = editor(client_for(clinic.clinician_user), note)
    # then: one section, required ones marked, the four reasons as checkboxes
    assert [(f.field.label, f.required, f.many) for f in page.coding] == [
        ("E/M visit level", True, False),
        ("What supports the E/M level", True, False),
        ("E/M time on the date (minutes)", False, False),
        ("Medical decision making", False, False),
        ("Interactive complexity", False, True),
    ]
    assert [code for code, _label in page.coding[0].field.field.choices][:3] == ["", "99202", "99203"]
    assert len(page.coding[4].field.field.choices) == 4
    assert "Medical decision making" not in [f.field.label for f in page.narrative]


def test_save_stores_the_em_answers_in_their_types_and_the_note_page_shows_their_labels(clinic, client_for):
    # given
    note = em_note(clinic)
    client = client_for(clinic.clinician_user)
    data = form_data(
        editor(client, note).form,
        **{
            "content-em_code": "99214",
            "content-em_basis": "time",
            "content-em_minutes": "30",
            "content-interactive_complexity": ["sentinel_event", "play_or_devices"],
            "action": "save",
        },
    )
    # when
    response = client.post(edit_url(note), data)
    # then
    saved = SessionNote.objects.get(pk=note.pk)
    assert response.status_code == 302
    assert (
        saved.content["em_code"],
        saved.content["em_basis"],
        saved.content["em_minutes"],
        saved.content["interactive_complexity"],
    ) == ("99214", "time", 30, ["sentinel_event", "play_or_devices"])
    # and the editor shows them again
    page = editor(client, saved)
    assert page.form["content-em_minutes"].value() == 30
    assert page.form["content-interactive_complexity"].value() == ["sentinel_event", "play_or_devices"]
    # and the note page shows labels, not keys
    text = client.get(reverse("clinical_notes:detail", args=[note.pk])).content.decode()
    assert "99214 – established patient, moderate-complexity decisions or 30+ minutes" in text
    assert "Total E/M time on the date" in text
    assert "30 minutes" in text
    assert "sentinel_event" not in text


@pytest.mark.parametrize(
    ("_case", "day", "warned"),
    [("on the due date (3 days after)", 7, ""), ("a day past it", 6, "1 day late")],
)
def test_the_author_is_told_before_signing_that_the_note_is_late(clinic, client_for, _case, day, warned):
    # given: a draft of `day` March; today is 10 March, notes are due within 3 days
    from tests.clinical_notes.helpers import session_start, write_note

    note = write_note(
        clinic.access(clinic.tech_user),
        patient_id=clinic.patient.pk,
        diagnosis_ids=[clinic.diagnosis.pk],
        start=session_start(day=day),
    )
    # when
    page = client_for(clinic.tech_user).get(reverse("clinical_notes:edit", args=[note.pk])).context["page"]
    # then
    if warned:
        assert page.late_warning.startswith(f"Signed today, this note is {warned}")
    else:
        assert page.late_warning == ""
