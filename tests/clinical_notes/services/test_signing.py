"""note_sign, note_cosign, note_return: the state machine, attestation, events, audit, hand-off."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from clinical_notes import services
from clinical_notes.domain.codes import NoteProblemCode as Code
from clinical_notes.errors import NoteRuleViolation
from clinical_notes.models import NoteEvent, SessionNote
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from practice.models import Supervision
from tests.clinical_notes.conftest import NOW
from tests.clinical_notes.helpers import session_start, sign, write_note
from tests.factories.clinical import CareTeamMemberFactory, SupervisionFactory
from tests.factories.clinical_content import complete_content_for

pytestmark = pytest.mark.django_db


def state(note_id):
    note = SessionNote.objects.get(pk=note_id)
    return (
        note.status,
        note.version,
        note.signed_at,
        note.signed_by_id,
        note.supervisor_id,
        note.cosigned_at,
        note.finalized_at,
        note.findings,
        NoteEvent.objects.filter(note_id=note_id).count(),
        AuditEvent.objects.filter(object_id=str(note_id)).exclude(outcome="denied").count(),
    )


def tech_note(clinic, **kwargs):
    return write_note(
        clinic.access(clinic.tech_user),
        patient_id=clinic.patient.pk,
        diagnosis_ids=[clinic.diagnosis.pk],
        **kwargs,
    )


def clinician_note(clinic, **kwargs):
    kwargs.setdefault("service_type", "individual_psychotherapy")
    return write_note(
        clinic.access(clinic.clinician_user),
        patient_id=clinic.patient.pk,
        diagnosis_ids=[clinic.diagnosis.pk],
        **kwargs,
    )


# ---------------------------------------------------------------------------- sign


def test_a_supervised_tech_signs_and_the_note_waits_for_the_supervisor(
    clinic, django_capture_on_commit_callbacks
):
    note = tech_note(clinic)
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        signed = services.note_sign(access=clinic.access(clinic.tech_user), note_id=note.pk, attested=True)
    # then
    assert (
        signed.status,
        signed.requires_cosign,
        signed.supervisor_id,
        signed.signed_at,
        signed.signed_by_id,
        signed.finalized_at,
        signed.findings,
    ) == ("awaiting_cosign", True, clinic.supervisor.pk, NOW, clinic.tech_user.pk, None, [])
    assert signed.attestation == (
        "I attest that I personally provided this service on the date and at the times documented, and that "
        f"this note is accurate and complete. Signed electronically by {clinic.tech.full_name}, RBT, on "
        "2026-03-10 at 12:00 EDT."
    )
    assert list(NoteEvent.objects.filter(note=note).values_list("from_status", "to_status", "actor_id")) == [
        ("", "draft", clinic.tech_user.pk),
        ("draft", "awaiting_cosign", clinic.tech_user.pk),
    ]
    assert (
        AuditEvent.objects.filter(action="update").last().detail == "sign:draft->awaiting_cosign;warnings=0"
    )
    assert callbacks == []  # not final: nothing for billing yet


def test_a_licensed_clinician_signs_straight_to_final_and_billing_is_told(
    clinic, django_capture_on_commit_callbacks
):
    note = clinician_note(clinic)
    with django_capture_on_commit_callbacks() as callbacks:
        signed = services.note_sign(
            access=clinic.access(clinic.clinician_user), note_id=note.pk, attested=True
        )
    assert (signed.status, signed.requires_cosign, signed.supervisor_id, signed.finalized_at) == (
        "final",
        False,
        None,
        NOW,
    )
    assert len(callbacks) == 1


def test_signing_with_documentation_errors_changes_nothing(clinic, django_capture_on_commit_callbacks):
    # given a note with no plan, a 5-minute session and an out-of-range PHQ-9
    access = clinic.access(clinic.tech_user)
    content = complete_content_for("aba_technician_treatment", seed=2)
    content.pop("plan")
    note = tech_note(clinic, minutes=5, content=content)
    before = state(note.pk)
    # when
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(NoteRuleViolation) as caught:
        services.note_sign(access=access, note_id=note.pk, attested=True)
    # then
    error = caught.value
    assert error.code == "documentation_incomplete"
    assert [p["code"] for p in error.extra["problems"]] == [
        "documentation_errors",
        "missing_required_field",
        "time_too_short",
    ]
    assert error.field_errors == {
        "__all__": ["The note has 2 documentation problems to fix before signing."],
        "content.plan": ["Plan is required for aba treatment by technician."],
        "segments": ["5 minutes documented; aba treatment by technician needs at least 8."],
    }
    assert state(note.pk) == before
    assert callbacks == []


def test_warnings_do_not_block_signing_and_are_kept_with_the_note(clinic):
    content = complete_content_for("aba_technician_treatment", seed=2) | {
        "patient_response": "Did fine today."
    }
    note = tech_note(clinic, content=content)
    signed = sign(clinic.access(clinic.tech_user), note)
    assert signed.status == "awaiting_cosign"
    assert [(f["code"], f["severity"]) for f in signed.findings] == [("response_too_short", "warning")]


def test_signing_needs_the_attestation(clinic):
    note = tech_note(clinic)
    before = state(note.pk)
    with pytest.raises(NoteRuleViolation) as caught:
        services.note_sign(access=clinic.access(clinic.tech_user), note_id=note.pk, attested=False)
    assert caught.value.field_errors == {"attested": ["Confirm the attestation to sign."]}
    assert state(note.pk) == before


def test_a_tech_whose_supervision_ended_before_the_session_cannot_sign(clinic):
    Supervision.objects.filter(supervisee=clinic.tech).update(ends_on=dt.date(2026, 3, 1))
    note = tech_note(clinic)
    before = state(note.pk)
    with pytest.raises(NoteRuleViolation) as caught:
        sign(clinic.access(clinic.tech_user), note)
    assert [p["code"] for p in caught.value.extra["problems"]] == [Code.NO_SUPERVISOR]
    assert state(note.pk) == before


def test_the_supervisor_on_the_date_of_service_gets_the_note(clinic, make_member):
    # given the tech changed supervisors on 2026-03-05
    new_user = make_member("supervisor", clinic.practice, provider=True, credential="BCBA")
    new = new_user.provider_profiles.get()
    Supervision.objects.filter(supervisee=clinic.tech).update(ends_on=dt.date(2026, 3, 4))
    SupervisionFactory(supervisor=new, supervisee=clinic.tech, starts_on=dt.date(2026, 3, 5))
    old_session = tech_note(clinic, start=session_start(day=3), seed=3)
    new_session = tech_note(clinic, start=session_start(day=9), seed=4)
    # when
    access = clinic.access(clinic.tech_user)
    # then
    assert sign(access, old_session).supervisor_id == clinic.supervisor.pk
    assert sign(access, new_session).supervisor_id == new.pk


def test_only_the_author_signs(clinic):
    note = tech_note(clinic)
    before = state(note.pk)
    with pytest.raises(NotFound):  # a draft is private to its author
        sign(clinic.access(clinic.supervisor_user), note)
    assert state(note.pk) == before


def test_a_stale_version_blocks_signing(clinic):
    note = tech_note(clinic)
    with pytest.raises(Conflict) as caught:
        services.note_sign(access=clinic.access(clinic.tech_user), note_id=note.pk, attested=True, version=1)
    assert caught.value.code == "stale_version"
    assert SessionNote.objects.get(pk=note.pk).status == "draft"


def test_a_signed_note_is_not_signed_again(clinic):
    note = sign(clinic.access(clinic.tech_user), tech_note(clinic))
    with pytest.raises(Conflict) as caught:
        sign(clinic.access(clinic.tech_user), note)
    assert caught.value.code == "note_not_editable"


# ---------------------------------------------------------------------------- co-sign


def test_the_supervisor_cosigns_and_the_note_is_final(clinic, django_capture_on_commit_callbacks):
    note = sign(clinic.access(clinic.tech_user), tech_note(clinic))
    with django_capture_on_commit_callbacks() as callbacks:
        final = services.note_cosign(
            access=clinic.access(clinic.supervisor_user), note_id=note.pk, attested=True
        )
    assert (
        final.status,
        final.cosigned_at,
        final.cosigned_by_id,
        final.finalized_at,
        final.supervisor_id,
    ) == (
        "final",
        NOW,
        clinic.supervisor_user.pk,
        NOW,
        clinic.supervisor.pk,
    )
    assert final.cosign_attestation.endswith(
        f"Signed electronically by {clinic.supervisor.full_name}, BCBA, on 2026-03-10 at 12:00 EDT."
    )
    assert list(NoteEvent.objects.filter(note=note).values_list("from_status", "to_status")) == [
        ("", "draft"),
        ("draft", "awaiting_cosign"),
        ("awaiting_cosign", "final"),
    ]
    assert AuditEvent.objects.filter(action="update").last().detail == "cosign:awaiting_cosign->final"
    assert len(callbacks) == 1


def test_a_supervisor_who_does_not_supervise_the_author_cannot_cosign(clinic, make_member):
    # given a supervisor who can see the note (patient on their caseload) but does not supervise the tech
    stranger_user = make_member("supervisor", clinic.practice, provider=True, credential="BCBA")
    CareTeamMemberFactory(patient=clinic.patient, provider=stranger_user.provider_profiles.get())
    note = sign(clinic.access(clinic.tech_user), tech_note(clinic))
    before = state(note.pk)
    # when
    with pytest.raises(PermissionDenied):
        services.note_cosign(access=clinic.access(stranger_user), note_id=note.pk, attested=True)
    # then
    assert state(note.pk) == before
    denied = AuditEvent.objects.get(outcome="denied")
    assert (denied.action, denied.object_id, denied.detail) == (
        "update",
        str(note.pk),
        "reason=not_supervisor",
    )


def test_a_supervisor_without_any_view_of_the_note_gets_not_found(clinic, make_member):
    stranger_user = make_member("supervisor", clinic.practice, provider=True, credential="BCBA")
    note = sign(clinic.access(clinic.tech_user), tech_note(clinic))
    before = state(note.pk)
    with pytest.raises(NotFound):
        services.note_cosign(access=clinic.access(stranger_user), note_id=note.pk, attested=True)
    assert state(note.pk) == before


def test_a_supervisor_whose_supervision_ended_before_the_session_cannot_cosign(clinic, make_member):
    # given the tech's first supervisor stopped on 2026-03-04 and still follows the patient
    Supervision.objects.filter(supervisee=clinic.tech).update(ends_on=dt.date(2026, 3, 4))
    CareTeamMemberFactory(patient=clinic.patient, provider=clinic.supervisor)
    new_user = make_member("supervisor", clinic.practice, provider=True, credential="BCBA")
    SupervisionFactory(
        supervisor=new_user.provider_profiles.get(), supervisee=clinic.tech, starts_on=dt.date(2026, 3, 5)
    )
    note = sign(clinic.access(clinic.tech_user), tech_note(clinic))
    before = state(note.pk)
    # when / then
    with pytest.raises(PermissionDenied):
        services.note_cosign(access=clinic.access(clinic.supervisor_user), note_id=note.pk, attested=True)
    assert state(note.pk) == before
    assert (
        services.note_cosign(access=clinic.access(new_user), note_id=note.pk, attested=True).status == "final"
    )


def test_a_cosign_needs_the_attestation(clinic):
    note = sign(clinic.access(clinic.tech_user), tech_note(clinic))
    before = state(note.pk)
    with pytest.raises(ValidationFailed):
        services.note_cosign(access=clinic.access(clinic.supervisor_user), note_id=note.pk, attested=False)
    assert state(note.pk) == before


def test_a_final_note_is_not_cosigned_twice(clinic):
    supervisor = clinic.access(clinic.supervisor_user)
    note = sign(clinic.access(clinic.tech_user), tech_note(clinic))
    services.note_cosign(access=supervisor, note_id=note.pk, attested=True)
    before = state(note.pk)
    with pytest.raises(Conflict) as caught:
        services.note_cosign(access=supervisor, note_id=note.pk, attested=True)
    assert caught.value.code == "transition_conflict"
    assert state(note.pk) == before


# ---------------------------------------------------------------------------- return and re-sign


def test_the_supervisor_returns_with_comments_and_the_author_re_signs(clinic):
    tech = clinic.access(clinic.tech_user)
    supervisor = clinic.access(clinic.supervisor_user)
    note = sign(tech, tech_note(clinic))
    # when
    returned = services.note_return(access=supervisor, note_id=note.pk, comment="  Add trial counts.  ")
    # then
    assert (returned.status, returned.signed_at, returned.signed_by_id, returned.attestation) == (
        "returned",
        None,
        None,
        "",
    )
    event = NoteEvent.objects.filter(note=note).last()
    assert (event.from_status, event.to_status, event.comment, event.actor_id) == (
        "awaiting_cosign",
        "returned",
        "Add trial counts.",
        clinic.supervisor_user.pk,
    )
    # and the author revises and signs again
    services.note_draft_update(
        access=tech,
        note_id=note.pk,
        version=returned.version,
        content=complete_content_for("aba_technician_treatment", seed=12),
    )
    resigned = sign(tech, note)
    assert (resigned.status, resigned.signed_at) == ("awaiting_cosign", NOW)
    assert [e.to_status for e in NoteEvent.objects.filter(note=note)] == [
        "draft",
        "awaiting_cosign",
        "returned",
        "awaiting_cosign",
    ]


def test_returning_needs_a_comment(clinic):
    note = sign(clinic.access(clinic.tech_user), tech_note(clinic))
    before = state(note.pk)
    with pytest.raises(NoteRuleViolation) as caught:
        services.note_return(access=clinic.access(clinic.supervisor_user), note_id=note.pk, comment="   ")
    assert caught.value.field_errors == {"comment": ["Say what the author should change."]}
    assert state(note.pk) == before


def test_a_returned_note_cannot_be_cosigned(clinic):
    supervisor = clinic.access(clinic.supervisor_user)
    note = sign(clinic.access(clinic.tech_user), tech_note(clinic))
    services.note_return(access=supervisor, note_id=note.pk, comment="Fix it.")
    before = state(note.pk)
    with pytest.raises(Conflict) as caught:
        services.note_cosign(access=supervisor, note_id=note.pk, attested=True)
    assert caught.value.code == "transition_conflict"
    assert state(note.pk) == before


def test_the_author_cannot_return_their_own_note(clinic):
    note = sign(clinic.access(clinic.tech_user), tech_note(clinic))
    with pytest.raises(PermissionDenied):
        services.note_return(access=clinic.access(clinic.tech_user), note_id=note.pk, comment="x")
    assert SessionNote.objects.get(pk=note.pk).status == "awaiting_cosign"
