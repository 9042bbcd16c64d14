"""Who reads which notes, and exactly one audit event per read."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from audit.models import AuditEvent
from clinical_notes import selectors, services
from clinical_notes.models import SessionNote
from core.errors import NotFound, PermissionDenied
from tests.clinical_notes.conftest import NOW
from tests.clinical_notes.helpers import session_start, sign, write_note
from tests.factories import PatientFactory, PracticeFactory
from tests.factories.clinical import SessionNoteFactory
from tests.patients.care_team_cases import edges_around

pytestmark = pytest.mark.django_db


def note(clinic, *, author, patient, status, supervisor=None, practice=None):
    extra = {}
    if status != "draft":
        extra = {"signed_at": NOW, "supervisor": supervisor}
    if status == "final":
        extra |= {"finalized_at": NOW, "requires_cosign": False}
    return SessionNoteFactory(
        practice=practice or clinic.practice, patient=patient, author=author, status=status, **extra
    )


@pytest.fixture
def notes(clinic):
    other_practice = PracticeFactory()
    return {
        "tech_draft": note(clinic, author=clinic.tech, patient=clinic.patient, status="draft"),
        "tech_awaiting": note(
            clinic,
            author=clinic.tech,
            patient=clinic.patient,
            status="awaiting_cosign",
            supervisor=clinic.supervisor,
        ),
        "tech_final": note(clinic, author=clinic.tech, patient=clinic.patient, status="final"),
        "other_draft": note(clinic, author=clinic.other_tech, patient=clinic.other_patient, status="draft"),
        "other_awaiting": note(
            clinic,
            author=clinic.other_tech,
            patient=clinic.other_patient,
            status="awaiting_cosign",
            supervisor=clinic.supervisor,
        ),
        "other_on_tech_caseload": note(
            clinic, author=clinic.other_tech, patient=clinic.patient, status="returned"
        ),
        "other_draft_on_tech_caseload": note(
            clinic, author=clinic.other_tech, patient=clinic.patient, status="draft"
        ),
        "clinician_final": note(clinic, author=clinic.clinician, patient=clinic.patient, status="final"),
        "elsewhere_final": note(
            clinic,
            author=clinic.tech,
            patient=PatientFactory(practice=other_practice),
            status="final",
            practice=other_practice,
        ),
    }


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (
            "tech_user",
            ["tech_draft", "tech_awaiting", "tech_final", "other_on_tech_caseload", "clinician_final"],
        ),
        (
            "other_tech_user",
            ["other_draft", "other_awaiting", "other_on_tech_caseload", "other_draft_on_tech_caseload"],
        ),
        ("supervisor_user", ["tech_awaiting", "tech_final", "other_awaiting", "other_on_tech_caseload"]),
        ("clinician_user", ["clinician_final"]),
        ("biller_user", ["tech_final", "clinician_final"]),
        ("admin_user", ["tech_final", "clinician_final"]),
    ],
)
def test_scope_by_role(clinic, notes, user, expected):
    page = selectors.note_list(access=clinic.access(getattr(clinic, user)))
    assert sorted(n.pk for n in page.notes) == sorted(notes[name].pk for name in expected)
    assert page.total == len(expected)


def test_compliance_reads_no_notes_and_the_attempt_is_audited(clinic, notes):
    with pytest.raises(PermissionDenied):
        selectors.note_list(access=clinic.access(clinic.compliance_user))
    [event] = AuditEvent.objects.all()
    assert (event.action, event.outcome, event.category, event.detail) == (
        "list",
        "denied",
        "clinical_note",
        "reason=capability",
    )


def test_a_list_is_one_audit_event_and_a_fixed_number_of_queries(clinic, notes, django_assert_num_queries):
    access = clinic.access(clinic.tech_user)
    selectors.note_list(access=access, limit=1)  # the audit chain's head row exists from here on
    # when: zone, count, page, and the audit append (savepoint, lock head, insert, advance, release)
    with django_assert_num_queries(8):
        page = selectors.note_list(access=access, status="final")
    # then
    assert [n.pk for n in page.notes] == sorted(
        [notes["clinician_final"].pk, notes["tech_final"].pk], reverse=True
    )
    event = AuditEvent.objects.last()
    assert (event.action, event.category, event.object_type, event.detail) == (
        "list",
        "clinical_note",
        "session_note",
        "results=2;total=2;status=final",
    )


def test_list_filters(clinic, notes):
    tech = clinic.access(clinic.tech_user)
    supervisor = clinic.access(clinic.supervisor_user)
    assert sorted(n.pk for n in selectors.note_list(access=tech, mine=True).notes) == sorted(
        notes[k].pk for k in ["tech_draft", "tech_awaiting", "tech_final"]
    )
    assert sorted(
        n.pk for n in selectors.note_list(access=supervisor, awaiting_my_cosign=True).notes
    ) == sorted(notes[k].pk for k in ["tech_awaiting", "other_awaiting"])
    assert [
        n.pk for n in selectors.note_list(access=supervisor, patient_id=clinic.other_patient.pk).notes
    ] == [notes["other_awaiting"].pk]
    assert [n.pk for n in selectors.note_list(access=tech, author_id=clinic.clinician.pk).notes] == [
        notes["clinician_final"].pk
    ]
    page = selectors.note_list(access=tech, limit=2, offset=1)
    assert (len(page.notes), page.total, page.limit, page.offset) == (2, 5, 2, 1)


def test_reading_a_note_is_exactly_one_view_event(clinic, notes):
    target = notes["tech_final"]
    loaded = selectors.note_get(access=clinic.access(clinic.biller_user), note_id=target.pk)
    assert loaded.pk == target.pk
    [event] = AuditEvent.objects.all()
    assert (event.action, event.outcome, event.patient_id, event.object_id, event.detail) == (
        "view",
        "allowed",
        clinic.patient.pk,
        str(target.pk),
        "status=final;view=billing",
    )


@pytest.mark.parametrize(
    ("user", "name"),
    [
        ("biller_user", "tech_draft"),
        ("biller_user", "tech_awaiting"),
        ("other_tech_user", "tech_awaiting"),
        ("supervisor_user", "tech_draft"),
        ("tech_user", "elsewhere_final"),
        ("tech_user", "other_awaiting"),
    ],
)
def test_a_note_outside_the_scope_is_not_found_and_one_denied_event(clinic, notes, user, name):
    with pytest.raises(NotFound):
        selectors.note_get(access=clinic.access(getattr(clinic, user)), note_id=notes[name].pk)
    # (another practice's note is also recorded in that practice: tests/audit/services/test_cross_practice_denials.py)
    [event] = AuditEvent.objects.filter(practice_id=clinic.practice.pk)
    assert (event.action, event.outcome, event.object_id, event.detail) == (
        "view",
        "denied",
        str(notes[name].pk),
        "reason=not_accessible",
    )


def test_note_detail_has_everything_in_a_fixed_number_of_queries(clinic, django_assert_num_queries):
    access = clinic.access(clinic.tech_user)
    written = sign(
        access, write_note(access, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk])
    )
    with django_assert_num_queries(13):
        loaded = selectors.note_get(access=access, note_id=written.pk)
        assert [e.to_status for e in loaded.events.all()] == ["draft", "awaiting_cosign"]
        assert [d.diagnosis.code for d in loaded.note_diagnoses.all()] == ["F840"]
        assert len(loaded.segments.all()) == 1
        assert list(loaded.addenda.all()) == []


def test_the_cosign_queue_is_oldest_first_with_overdue_flags(clinic):
    tech = clinic.access(clinic.tech_user)
    with time_machine.travel(dt.datetime(2026, 3, 5, 16, tzinfo=dt.UTC), tick=False):
        old = sign(
            tech,
            write_note(
                tech,
                patient_id=clinic.patient.pk,
                diagnosis_ids=[clinic.diagnosis.pk],
                start=session_start(day=4),
                seed=5,
            ),
        )
    new = sign(
        tech, write_note(tech, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk], seed=6)
    )
    before = AuditEvent.objects.count()
    # when
    queue = selectors.note_cosign_queue(access=clinic.access(clinic.supervisor_user), overdue_days=3)
    # then
    assert [(i.note_id, i.days_waiting, i.overdue, i.author_id) for i in queue.items] == [
        (old.pk, 5, True, clinic.tech.pk),
        (new.pk, 0, False, clinic.tech.pk),
    ]
    assert (queue.total, queue.overdue_total) == (2, 1)
    assert queue.items[0].patient_name == f"{clinic.patient.last_name}, {clinic.patient.first_name}"
    assert AuditEvent.objects.count() == before + 1
    assert (
        selectors.note_cosign_queue(access=clinic.access(clinic.clinician_user), overdue_days=3).items == []
    )
    # and: the second page holds the newer note, the counts still cover the whole queue
    second = selectors.note_cosign_queue(
        access=clinic.access(clinic.supervisor_user), overdue_days=3, limit=1, offset=1
    )
    assert ([i.note_id for i in second.items], second.total, second.overdue_total) == ([new.pk], 2, 1)


def test_the_checks_preview_reads_the_saved_note_and_records_one_view(clinic):
    access = clinic.access(clinic.tech_user)
    written = write_note(access, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk], minutes=5)
    before = AuditEvent.objects.count()
    report = selectors.note_documentation_preview(access=access, note_id=written.pk)
    assert ([p.code for p in report.problems], report.minutes, report.clone) == (["time_too_short"], 5, None)
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.last().detail == "status=draft;purpose=checks;view=full"


def test_the_preview_compares_with_the_patients_previous_signed_note(clinic):
    access = clinic.access(clinic.tech_user)
    first = sign(
        access,
        write_note(
            access,
            patient_id=clinic.patient.pk,
            diagnosis_ids=[clinic.diagnosis.pk],
            start=session_start(day=2),
            seed=8,
        ),
    )
    copy = write_note(access, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk], seed=8)
    report = selectors.note_documentation_preview(access=access, note_id=copy.pk)
    assert [p.code for p in report.problems] == ["cloned_note"]
    assert (report.clone.previous_note_id, report.clone.similarity, report.clone.diff) == (first.pk, 1.0, ())


def test_sessions_of_the_same_provider_overlapping_are_found_across_notes(clinic):
    access = clinic.access(clinic.tech_user)
    write_note(access, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk], seed=1)
    second = write_note(
        access,
        patient_id=clinic.patient.pk,
        diagnosis_ids=[clinic.diagnosis.pk],
        seed=2,
        start=session_start(hour=10, minute=30),
    )
    note_row = SessionNote.objects.get(pk=second.pk)
    facts = selectors.note_facts_for(note_row, now=NOW)
    assert [(o.provider_id, o.patient_id) for o in facts.other_sessions] == [
        (clinic.tech.pk, clinic.patient.pk)
    ]
    report = selectors.note_documentation_preview(access=access, note_id=second.pk)
    assert [p.code for p in report.problems] == ["provider_overlap"]


def test_final_note_ref_is_only_for_final_notes(clinic):
    access = clinic.access(clinic.clinician_user)
    draft = write_note(
        access,
        patient_id=clinic.patient.pk,
        diagnosis_ids=[clinic.diagnosis.pk],
        service_type="individual_psychotherapy",
    )
    assert selectors.final_note_ref(note_id=draft.pk) is None
    services.note_sign(access=access, note_id=draft.pk, attested=True)
    ref = selectors.final_note_ref(note_id=draft.pk)
    assert (ref.note_id, ref.practice_id, ref.author_id, ref.service_type, ref.finalized_at) == (
        draft.pk,
        clinic.practice.pk,
        clinic.clinician.pk,
        "individual_psychotherapy",
        NOW,
    )


@pytest.mark.parametrize(("_case", "starts_on", "ends_on", "visible"), edges_around(dt.date(2026, 3, 10)))
def test_technician_sees_caseload_notes_by_the_care_team_rule(clinic, _case, starts_on, ends_on, visible):
    # given another tech's returned note on a patient whose care team the tech joins or leaves
    # around today (2026-03-10 in New York)
    clinic.patient.care_team.filter(provider=clinic.tech).update(starts_on=starts_on, ends_on=ends_on)
    other = note(clinic, author=clinic.other_tech, patient=clinic.patient, status="returned")
    # when
    listed = [n.pk for n in selectors.note_list(access=clinic.access(clinic.tech_user)).notes]
    # then
    assert listed == ([other.pk] if visible else [])
