import datetime as dt

import pytest

from core.errors import NotFound, PermissionDenied, ValidationFailed
from patients import services
from patients.models import Coverage
from tests.factories import CoverageFactory, PatientFactory, PayerFactory
from tests.patients.conftest import TODAY, coverage_input, events

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def patient(practice):  # type: ignore[no-untyped-def]
    return PatientFactory(practice=practice)


def test_add_coverage(patient, biller_access, payer):
    # when
    coverage = services.coverage_add(
        access=biller_access,
        patient_id=patient.pk,
        coverage=coverage_input(payer.pk, priority=2, member_id=" ZX-99881 "),
        today=TODAY,
    )
    # then
    coverage.refresh_from_db()
    assert (coverage.patient_id, coverage.priority, coverage.member_id) == (patient.pk, 2, "ZX-99881")
    assert [(e.action, e.category, e.patient_id, e.object_type, e.object_id) for e in events()] == [
        ("create", "coverage", patient.pk, "coverage", str(coverage.pk))
    ]


def test_subscriber_fields_are_blank_when_the_patient_is_the_subscriber(patient, biller_access, payer):
    coverage = services.coverage_add(
        access=biller_access,
        patient_id=patient.pk,
        coverage=coverage_input(payer.pk, subscriber_first_name="Stray", subscriber_sex="M"),
        today=TODAY,
    )
    assert (coverage.subscriber_first_name, coverage.subscriber_sex) == ("", "")


def test_dependent_coverage_keeps_the_subscriber(patient, biller_access, payer):
    coverage = services.coverage_add(
        access=biller_access,
        patient_id=patient.pk,
        coverage=coverage_input(
            payer.pk,
            subscriber_relationship="19",
            subscriber_first_name="Jordan",
            subscriber_last_name="Quill",
            subscriber_date_of_birth=D(1965, 5, 5),
        ),
        today=TODAY,
    )
    coverage.refresh_from_db()
    assert (
        coverage.subscriber_relationship,
        coverage.subscriber_first_name,
        coverage.subscriber_date_of_birth,
    ) == (
        "19",
        "Jordan",
        D(1965, 5, 5),
    )


@pytest.mark.parametrize(
    ("_case", "start", "accepted"),
    [
        ("starts on the last covered day", D(2025, 12, 31), False),
        ("starts the next day", D(2026, 1, 1), True),
    ],
)
def test_overlap_with_same_priority_on_the_boundary_day(
    patient, biller_access, payer, _case, start, accepted
):
    # given
    CoverageFactory(
        patient=patient, payer=payer, priority=1, effective_on=D(2025, 1, 1), terminates_on=D(2025, 12, 31)
    )
    # when
    call = lambda: services.coverage_add(  # noqa: E731
        access=biller_access,
        patient_id=patient.pk,
        coverage=coverage_input(payer.pk, effective_on=start),
        today=TODAY,
    )
    # then
    if accepted:
        call()
        assert Coverage.objects.filter(patient=patient).count() == 2
    else:
        with pytest.raises(ValidationFailed) as caught:
            call()
        assert caught.value.field_errors == {
            "effective_on": [
                "These dates overlap the patient's other primary coverage (Wed 1 Jan 2025 to Wed 31 Dec 2025)."
            ]
        }
        assert Coverage.objects.filter(patient=patient).count() == 1
        assert events() == []


def test_another_patients_coverage_does_not_overlap(practice, patient, biller_access, payer):
    CoverageFactory(patient=PatientFactory(practice=practice), payer=payer, effective_on=D(2025, 1, 1))
    services.coverage_add(
        access=biller_access, patient_id=patient.pk, coverage=coverage_input(payer.pk), today=TODAY
    )
    assert Coverage.objects.filter(patient=patient).count() == 1


def test_coverage_add_for_another_practices_patient(other_practice, biller_access, payer):
    # given
    foreign = PatientFactory(practice=other_practice)
    # when
    with pytest.raises(NotFound):
        services.coverage_add(
            access=biller_access, patient_id=foreign.pk, coverage=coverage_input(payer.pk), today=TODAY
        )
    # then
    assert Coverage.objects.count() == 0
    assert [(e.action, e.category, e.outcome, e.practice_id) for e in events()] == [
        ("create", "coverage", "denied", biller_access.practice_id),
        ("create", "coverage", "denied", other_practice.pk),  # where its auditor sees it
    ]


def test_clinician_may_not_add_coverage(practice, patient, make_member, access_for, payer):
    clinician = access_for(make_member("clinician", practice))
    with pytest.raises(PermissionDenied):
        services.coverage_add(
            access=clinician, patient_id=patient.pk, coverage=coverage_input(payer.pk), today=TODAY
        )
    assert Coverage.objects.count() == 0


def test_update_coverage_member_id(patient, biller_access, payer):
    # given
    coverage = CoverageFactory(patient=patient, payer=payer, member_id="OLD12345")
    # when
    services.coverage_update(
        access=biller_access,
        patient_id=patient.pk,
        coverage_id=coverage.pk,
        changes={"member_id": "NEW67890"},
        today=TODAY,
    )
    # then
    coverage.refresh_from_db()
    assert coverage.member_id == "NEW67890"
    assert [(e.action, e.category, e.detail) for e in events()] == [
        ("update", "coverage", "fields=member_id")
    ]


def test_update_into_an_overlap_is_rejected(patient, biller_access, payer):
    # given
    CoverageFactory(patient=patient, payer=payer, priority=1, effective_on=D(2025, 1, 1))
    secondary = CoverageFactory(patient=patient, payer=payer, priority=2, effective_on=D(2025, 1, 1))
    # when
    with pytest.raises(ValidationFailed) as caught:
        services.coverage_update(
            access=biller_access,
            patient_id=patient.pk,
            coverage_id=secondary.pk,
            changes={"priority": 1},
            today=TODAY,
        )
    # then
    assert list(caught.value.field_errors) == ["effective_on"]
    secondary.refresh_from_db()
    assert secondary.priority == 2


def test_update_keeps_its_own_dates_without_overlapping_itself(patient, biller_access, payer):
    coverage = CoverageFactory(patient=patient, payer=payer, effective_on=D(2025, 1, 1))
    services.coverage_update(
        access=biller_access,
        patient_id=patient.pk,
        coverage_id=coverage.pk,
        changes={"effective_on": D(2025, 2, 1)},
        today=TODAY,
    )
    coverage.refresh_from_db()
    assert coverage.effective_on == D(2025, 2, 1)


def test_coverage_of_another_patient_is_not_found_through_this_patient(
    practice, patient, biller_access, payer
):
    # given
    other = CoverageFactory(patient=PatientFactory(practice=practice), payer=payer, member_id="KEEP0001")
    # when
    with pytest.raises(NotFound):
        services.coverage_update(
            access=biller_access,
            patient_id=patient.pk,
            coverage_id=other.pk,
            changes={"member_id": "HACK0001"},
            today=TODAY,
        )
    # then
    other.refresh_from_db()
    assert other.member_id == "KEEP0001"


def test_terminate_coverage(patient, biller_access, payer):
    # given
    coverage = CoverageFactory(patient=patient, payer=payer, effective_on=D(2025, 1, 1))
    # when
    services.coverage_terminate(
        access=biller_access, patient_id=patient.pk, coverage_id=coverage.pk, terminates_on=D(2026, 2, 28)
    )
    services.coverage_terminate(  # a double click changes nothing
        access=biller_access, patient_id=patient.pk, coverage_id=coverage.pk, terminates_on=D(2026, 2, 28)
    )
    # then
    coverage.refresh_from_db()
    assert coverage.terminates_on == D(2026, 2, 28)
    assert [(e.action, e.detail) for e in events()] == [("update", "fields=terminates_on;terminated")]


def test_terminate_before_effective_is_rejected(patient, biller_access, payer):
    coverage = CoverageFactory(patient=patient, payer=payer, effective_on=D(2025, 1, 1))
    with pytest.raises(ValidationFailed) as caught:
        services.coverage_terminate(
            access=biller_access,
            patient_id=patient.pk,
            coverage_id=coverage.pk,
            terminates_on=D(2024, 12, 31),
        )
    assert caught.value.field_errors == {
        "terminates_on": ["The termination date can't be before the effective date."]
    }
    coverage.refresh_from_db()
    assert coverage.terminates_on is None


def test_payer_change_to_another_practices_payer(practice, other_practice, patient, biller_access, payer):
    coverage = CoverageFactory(patient=patient, payer=payer)
    foreign = PayerFactory(practice=other_practice)
    with pytest.raises(ValidationFailed) as caught:
        services.coverage_update(
            access=biller_access,
            patient_id=patient.pk,
            coverage_id=coverage.pk,
            changes={"payer_id": foreign.pk},
            today=TODAY,
        )
    assert caught.value.field_errors == {"payer": ["Choose one of this practice's payers."]}
    coverage.refresh_from_db()
    assert coverage.payer_id == payer.pk
