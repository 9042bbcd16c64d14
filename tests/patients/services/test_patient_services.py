import datetime as dt

import pytest

from audit.models import AuditEvent
from core.errors import NotFound, PermissionDenied, ValidationFailed
from patients import services
from patients.models import Coverage, Guarantor, Patient, PatientAccountSequence
from tests.factories import PatientFactory, PayerFactory
from tests.patients.conftest import TODAY, coverage_input, events, guarantor_input, patient_input
from tests.patients.factories import GuarantorFactory

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return Patient.objects.count(), Guarantor.objects.count(), Coverage.objects.count()


def test_create_patient_with_guarantor_and_coverage(practice, biller_access, payer):
    # when
    patient = services.patient_create(
        access=biller_access,
        patient=patient_input(first_name=" Avery ", state="il"),
        guarantor=guarantor_input(),
        coverage=coverage_input(payer.pk, group_number="G-77"),
        today=TODAY,
    )
    # then
    patient.refresh_from_db()
    assert (patient.practice_id, patient.first_name, patient.state, patient.account_number) == (
        practice.pk,
        "Avery",
        "IL",
        "P000001",
    )
    guarantor = Guarantor.objects.get(patient=patient)
    assert (guarantor.relationship, guarantor.first_name, guarantor.last_name) == (
        "parent",
        "Jordan",
        "Quill",
    )
    coverage = Coverage.objects.get(patient=patient)
    assert (coverage.payer_id, coverage.member_id, coverage.group_number, coverage.priority) == (
        payer.pk,
        "XQM123456789",
        "G-77",
        1,
    )
    assert [(e.action, e.category, e.patient_id, e.object_type, e.object_id, e.detail) for e in events()] == [
        ("create", "demographics", patient.pk, "patient", str(patient.pk), "guarantor=parent;coverage=yes"),
        ("create", "coverage", patient.pk, "coverage", str(coverage.pk), "priority=1"),
    ]


def test_default_guarantor_is_the_patient(biller_access):
    # when
    patient = services.patient_create(access=biller_access, patient=patient_input(), today=TODAY)
    # then
    guarantor = Guarantor.objects.get(patient=patient)
    assert (guarantor.relationship, guarantor.first_name, guarantor.last_name, guarantor.address_line1) == (
        "self",
        "Avery",
        "Quill",
        "48 Birch Lane",
    )
    assert Coverage.objects.count() == 0
    assert [(e.action, e.detail) for e in events()] == [("create", "guarantor=self;coverage=no")]


def test_account_numbers_count_up_per_practice_and_skip_taken_ones(practice, other_practice, biller_access):
    # given
    PatientFactory(practice=practice, account_number="P000002")
    # when
    first = services.patient_create(access=biller_access, patient=patient_input(), today=TODAY)
    second = services.patient_create(access=biller_access, patient=patient_input(), today=TODAY)
    # then
    assert (first.account_number, second.account_number) == ("P000001", "P000003")
    assert PatientAccountSequence.objects.get(practice=practice).last_number == 3


def test_duplicate_account_number_is_a_field_error(practice, biller_access):
    # given
    PatientFactory(practice=practice, account_number="LEGACY-1")
    before = _counts()
    # when
    with pytest.raises(ValidationFailed) as caught:
        services.patient_create(
            access=biller_access, patient=patient_input(account_number="legacy-1"), today=TODAY
        )
    # then
    assert caught.value.field_errors == {
        "account_number": ["Another patient already has this account number."]
    }
    assert _counts() == before


@pytest.mark.parametrize(
    ("_case", "patient_overrides", "coverage_overrides", "errors"),
    [
        (
            "invalid member id",
            {},
            {"member_id": "XQ 12#"},
            {
                "coverage.member_id": [
                    "A member ID is 3 to 30 letters, digits or hyphens, with no spaces or symbols."
                ]
            },
        ),
        (
            "date of birth tomorrow",
            {"date_of_birth": TODAY + dt.timedelta(days=1)},
            {},
            {"date_of_birth": ["Date of birth can't be in the future."]},
        ),
        (
            "coverage ends before it starts",
            {},
            {"terminates_on": dt.date(2025, 12, 31)},
            {"coverage.terminates_on": ["The termination date can't be before the effective date."]},
        ),
    ],
)
def test_invalid_create_writes_nothing(
    biller_access, payer, _case, patient_overrides, coverage_overrides, errors
):
    # given
    before = _counts()
    # when
    with pytest.raises(ValidationFailed) as caught:
        services.patient_create(
            access=biller_access,
            patient=patient_input(**patient_overrides),
            coverage=coverage_input(payer.pk, **coverage_overrides),
            today=TODAY,
        )
    # then
    assert caught.value.field_errors == errors
    assert _counts() == before
    assert events() == []
    assert PatientAccountSequence.objects.count() == 0


def test_self_pay_and_other_practice_payers_are_rejected(practice, other_practice, biller_access):
    # given
    self_pay = PayerFactory(practice=practice, kind="self_pay", payer_id="", name="Self pay")
    foreign = PayerFactory(practice=other_practice)
    # when
    with pytest.raises(ValidationFailed) as self_pay_error:
        services.patient_create(
            access=biller_access, patient=patient_input(), coverage=coverage_input(self_pay.pk), today=TODAY
        )
    with pytest.raises(ValidationFailed) as foreign_error:
        services.patient_create(
            access=biller_access, patient=patient_input(), coverage=coverage_input(foreign.pk), today=TODAY
        )
    # then
    assert self_pay_error.value.field_errors == {
        "coverage.payer": [
            "Self-pay is not a coverage: leave the patient without coverage and they are billed directly."
        ]
    }
    assert foreign_error.value.field_errors == {"coverage.payer": ["Choose one of this practice's payers."]}
    assert _counts() == (0, 0, 0)


def test_inactive_payer_is_rejected(practice, biller_access):
    payer = PayerFactory(practice=practice, is_active=False)
    with pytest.raises(ValidationFailed) as caught:
        services.patient_create(
            access=biller_access, patient=patient_input(), coverage=coverage_input(payer.pk), today=TODAY
        )
    assert caught.value.field_errors == {
        "coverage.payer": ["This payer is inactive; choose an active payer."]
    }


def test_technician_cannot_create_and_the_attempt_is_audited(practice, make_member, access_for):
    # given
    tech = access_for(make_member("technician", practice, provider=True))
    # when
    with pytest.raises(PermissionDenied):
        services.patient_create(access=tech, patient=patient_input(), today=TODAY)
    # then
    assert _counts() == (0, 0, 0)
    assert [(e.action, e.category, e.outcome, e.detail) for e in events()] == [
        ("create", "demographics", "denied", "reason=capability;service=patient_create")
    ]


def test_clinician_cannot_add_coverage_while_creating(practice, make_member, access_for, payer):
    clinician = access_for(make_member("clinician", practice))
    with pytest.raises(PermissionDenied):
        services.patient_create(
            access=clinician, patient=patient_input(), coverage=coverage_input(payer.pk), today=TODAY
        )
    assert _counts() == (0, 0, 0)


def test_update_changes_only_given_fields_and_audits_their_names(practice, biller_access):
    # given
    patient = PatientFactory(practice=practice, city="Springfield", phone="")
    GuarantorFactory(patient=patient, relationship="parent", first_name="Jordan")
    # when
    services.patient_update(
        access=biller_access,
        patient_id=patient.pk,
        changes={"city": "Chatham", "phone": "217-555-0134", "state": "IL"},
        today=TODAY,
    )
    # then
    patient.refresh_from_db()
    assert (patient.city, patient.phone) == ("Chatham", "217-555-0134")
    assert [(e.action, e.category, e.patient_id, e.detail) for e in events()] == [
        ("update", "demographics", patient.pk, "fields=city,phone")
    ]


def test_self_guarantor_follows_the_patient(practice, biller_access):
    # given
    patient = services.patient_create(access=biller_access, patient=patient_input(), today=TODAY)
    # when
    services.patient_update(
        access=biller_access, patient_id=patient.pk, changes={"address_line1": "9 Cedar Court"}, today=TODAY
    )
    # then
    assert Guarantor.objects.get(patient=patient).address_line1 == "9 Cedar Court"
    assert events()[-1].detail == "fields=address_line1;guarantor=updated"


def test_update_without_changes_writes_no_event(practice, biller_access):
    patient = PatientFactory(practice=practice)
    services.patient_update(
        access=biller_access, patient_id=patient.pk, changes={"city": patient.city}, today=TODAY
    )
    assert events() == []


def test_update_rejects_future_dob_and_unknown_fields(practice, biller_access):
    # given
    patient = PatientFactory(practice=practice, date_of_birth=dt.date(1990, 1, 1))
    # when
    with pytest.raises(ValidationFailed) as future:
        services.patient_update(
            access=biller_access,
            patient_id=patient.pk,
            changes={"date_of_birth": dt.date(2026, 3, 17)},
            today=TODAY,
        )
    with pytest.raises(ValidationFailed) as unknown:
        services.patient_update(
            access=biller_access, patient_id=patient.pk, changes={"practice_id": 5}, today=TODAY
        )
    # then
    assert future.value.field_errors == {"date_of_birth": ["Date of birth can't be in the future."]}
    assert unknown.value.field_errors == {"practice_id": ["This field can't be changed here."]}
    patient.refresh_from_db()
    assert patient.date_of_birth == dt.date(1990, 1, 1)
    assert events() == []


def test_update_of_another_practices_patient_is_not_found_and_changes_nothing(other_practice, biller_access):
    # given
    foreign = PatientFactory(practice=other_practice, city="Peoria")
    # when
    with pytest.raises(NotFound):
        services.patient_update(
            access=biller_access, patient_id=foreign.pk, changes={"city": "Chatham"}, today=TODAY
        )
    # then
    foreign.refresh_from_db()
    assert foreign.city == "Peoria"
    assert [(e.action, e.outcome, e.patient_id, e.practice_id) for e in events()] == [
        ("update", "denied", foreign.pk, biller_access.practice_id),
        ("update", "denied", foreign.pk, other_practice.pk),  # where its auditor sees it
    ]
    assert AuditEvent.objects.filter(outcome="allowed").count() == 0
