import datetime as dt

import pytest

from core.errors import NotFound, PermissionDenied, ValidationFailed
from patients import services
from patients.domain.types import ConsentInput, DiagnosisInput
from patients.models import CareTeamMember, Consent, PatientDiagnosis
from tests.factories import PatientFactory, ProviderFactory
from tests.patients.conftest import TODAY, events
from tests.patients.factories import CareTeamMemberFactory, ConsentFactory, DiagnosisFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def patient(practice):  # type: ignore[no-untyped-def]
    return PatientFactory(practice=practice)


def test_diagnosis_add_normalizes_the_code(patient, biller_access):
    # when
    diagnosis = services.diagnosis_add(
        access=biller_access,
        patient_id=patient.pk,
        diagnosis=DiagnosisInput(code=" f43.10 ", rank=2),
        today=TODAY,
    )
    # then
    diagnosis.refresh_from_db()
    assert (diagnosis.code, diagnosis.rank, diagnosis.resolved_on) == ("F4310", 2, None)
    assert [(e.action, e.category, e.object_type) for e in events()] == [("create", "diagnosis", "diagnosis")]


def test_clinician_may_add_a_diagnosis(practice, patient, make_member, access_for):
    clinician = access_for(make_member("clinician", practice))
    services.diagnosis_add(
        access=clinician, patient_id=patient.pk, diagnosis=DiagnosisInput(code="F41.1"), today=TODAY
    )
    assert PatientDiagnosis.objects.filter(patient=patient).count() == 1


def test_technician_may_not_add_a_diagnosis(practice, patient, make_member, access_for):
    tech = access_for(make_member("technician", practice, provider=True))
    with pytest.raises(PermissionDenied):
        services.diagnosis_add(
            access=tech, patient_id=patient.pk, diagnosis=DiagnosisInput(code="F41.1"), today=TODAY
        )
    assert PatientDiagnosis.objects.count() == 0


def test_duplicate_active_diagnosis_and_bad_format(patient, biller_access):
    # given
    DiagnosisFactory(patient=patient, code="F411")
    # when
    with pytest.raises(ValidationFailed) as duplicate:
        services.diagnosis_add(
            access=biller_access, patient_id=patient.pk, diagnosis=DiagnosisInput(code="F41.1"), today=TODAY
        )
    with pytest.raises(ValidationFailed) as malformed:
        services.diagnosis_add(
            access=biller_access, patient_id=patient.pk, diagnosis=DiagnosisInput(code="41.1F"), today=TODAY
        )
    # then
    assert duplicate.value.field_errors == {
        "code": ["This diagnosis is already on the patient's active list."]
    }
    assert list(malformed.value.field_errors) == ["code"]
    assert PatientDiagnosis.objects.count() == 1
    assert events() == []


def test_resolved_code_may_be_added_again(patient, biller_access):
    DiagnosisFactory(patient=patient, code="F411", resolved_on=D(2025, 6, 1))
    services.diagnosis_add(
        access=biller_access, patient_id=patient.pk, diagnosis=DiagnosisInput(code="F41.1"), today=TODAY
    )
    assert PatientDiagnosis.objects.filter(patient=patient, resolved_on__isnull=True).count() == 1


def test_diagnosis_resolve(patient, biller_access):
    # given
    diagnosis = DiagnosisFactory(patient=patient, onset_on=D(2025, 1, 1))
    # when
    services.diagnosis_resolve(
        access=biller_access,
        patient_id=patient.pk,
        diagnosis_id=diagnosis.pk,
        resolved_on=D(2026, 3, 1),
        today=TODAY,
    )
    with pytest.raises(ValidationFailed) as again:
        services.diagnosis_resolve(
            access=biller_access,
            patient_id=patient.pk,
            diagnosis_id=diagnosis.pk,
            resolved_on=D(2026, 3, 2),
            today=TODAY,
        )
    services.diagnosis_resolve(  # a double click: the same date again changes nothing
        access=biller_access,
        patient_id=patient.pk,
        diagnosis_id=diagnosis.pk,
        resolved_on=D(2026, 3, 1),
        today=TODAY,
    )
    # then
    diagnosis.refresh_from_db()
    assert diagnosis.resolved_on == D(2026, 3, 1)
    assert again.value.field_errors == {
        "resolved_on": ["This diagnosis was already resolved on Sun 1 Mar 2026."]
    }
    assert [(e.action, e.detail) for e in events()] == [("update", "fields=resolved_on")]


def test_part2_consent_add_and_revoke(practice, biller_access):
    # given
    patient = PatientFactory(practice=practice, is_substance_use_program=True)
    # when
    consent = services.consent_add(
        access=biller_access,
        patient_id=patient.pk,
        consent=ConsentInput(
            kind="part2_tpo", signed_on=D(2026, 1, 5), recipient="Payers of record", purpose="Payment"
        ),
        today=TODAY,
    )
    services.consent_revoke(
        access=biller_access,
        patient_id=patient.pk,
        consent_id=consent.pk,
        revoked_on=D(2026, 3, 1),
        today=TODAY,
    )
    # then
    consent.refresh_from_db()
    assert (consent.kind, consent.signed_on, consent.revoked_on) == (
        "part2_tpo",
        D(2026, 1, 5),
        D(2026, 3, 1),
    )
    assert [(e.action, e.category, e.detail) for e in events()] == [
        ("create", "consent", "kind=part2_tpo"),
        ("update", "consent", "fields=revoked_on;kind=part2_tpo"),
    ]


def test_part2_consent_needs_recipient_and_purpose(patient, biller_access):
    with pytest.raises(ValidationFailed) as caught:
        services.consent_add(
            access=biller_access,
            patient_id=patient.pk,
            consent=ConsentInput(kind="part2_tpo", signed_on=TODAY),
            today=TODAY,
        )
    assert caught.value.field_errors == {
        "recipient": ["Recipient is required."],
        "purpose": ["Purpose is required."],
    }
    assert Consent.objects.count() == 0


def test_consent_of_another_practice_cannot_be_revoked(other_practice, biller_access):
    consent = ConsentFactory(patient=PatientFactory(practice=other_practice))
    with pytest.raises(NotFound):
        services.consent_revoke(
            access=biller_access,
            patient_id=consent.patient_id,
            consent_id=consent.pk,
            revoked_on=TODAY,
            today=TODAY,
        )
    consent.refresh_from_db()
    assert consent.revoked_on is None


def test_care_team_add_remove_and_add_again(practice, patient, biller_access):
    # given
    provider = ProviderFactory(practice=practice)
    # when
    member = services.care_team_add(
        access=biller_access, patient_id=patient.pk, provider_id=provider.pk, today=TODAY
    )
    with pytest.raises(ValidationFailed) as duplicate:
        services.care_team_add(
            access=biller_access, patient_id=patient.pk, provider_id=provider.pk, today=TODAY
        )
    services.care_team_remove(access=biller_access, patient_id=patient.pk, member_id=member.pk, today=TODAY)
    services.care_team_remove(  # already off the team: nothing happens
        access=biller_access, patient_id=patient.pk, member_id=member.pk, today=TODAY
    )
    member.refresh_from_db()
    ended_on = member.ends_on
    again = services.care_team_add(
        access=biller_access, patient_id=patient.pk, provider_id=provider.pk, today=TODAY
    )
    # then
    assert duplicate.value.field_errors == {"provider": ["This provider is already on the care team."]}
    assert ended_on == D(2026, 3, 15)
    assert (again.pk, again.starts_on, again.ends_on) == (member.pk, TODAY, None)
    assert CareTeamMember.objects.count() == 1
    assert [(e.action, e.category, e.detail) for e in events()] == [
        ("create", "care_team", f"provider={provider.pk}"),
        ("update", "care_team", f"provider={provider.pk};ended"),
        ("update", "care_team", f"provider={provider.pk};reopened"),
    ]


def test_removal_ends_a_technicians_access_at_once(
    practice, patient, biller_access, make_member, access_for, frozen_today
):
    # given
    from patients import selectors

    tech = access_for(make_member("technician", practice, provider=True))
    member = services.care_team_add(access=biller_access, patient_id=patient.pk, provider_id=tech.provider_id)
    visible_before = [p.pk for p in selectors.patient_list_for_user(access=tech).patients]
    # when
    services.care_team_remove(access=biller_access, patient_id=patient.pk, member_id=member.pk)
    # then
    assert visible_before == [patient.pk]
    assert selectors.patient_list_for_user(access=tech).patients == []
    with pytest.raises(NotFound):
        selectors.patient_get_for_user(access=tech, patient_id=patient.pk)


def test_care_team_rejects_another_practices_provider(practice, other_practice, patient, biller_access):
    provider = ProviderFactory(practice=other_practice)
    with pytest.raises(ValidationFailed) as caught:
        services.care_team_add(access=biller_access, patient_id=patient.pk, provider_id=provider.pk)
    assert caught.value.field_errors == {"provider": ["Choose an active provider of this practice."]}
    assert CareTeamMember.objects.count() == 0


def test_care_team_member_of_another_practice_cannot_be_removed(other_practice, biller_access):
    member = CareTeamMemberFactory(patient=PatientFactory(practice=other_practice))
    with pytest.raises(NotFound):
        services.care_team_remove(access=biller_access, patient_id=member.patient_id, member_id=member.pk)
    member.refresh_from_db()
    assert member.ends_on is None
