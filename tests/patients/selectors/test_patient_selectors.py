import datetime as dt

import pytest

from audit.domain.chain import GENESIS_HASH
from audit.models import AuditChainHead
from core.errors import NotFound, PermissionDenied, ValidationFailed
from patients import selectors
from tests.factories import CoverageFactory, PatientFactory, PayerFactory
from tests.patients.care_team_cases import edges_around
from tests.patients.conftest import TODAY, events
from tests.patients.factories import CareTeamMemberFactory, ConsentFactory, DiagnosisFactory, GuarantorFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def people(practice, other_practice):  # type: ignore[no-untyped-def]
    return {
        "avery": PatientFactory(
            practice=practice, first_name="Avery", last_name="Quill", date_of_birth=D(1990, 4, 12)
        ),
        "blake": PatientFactory(
            practice=practice, first_name="Blake", last_name="Quillon", date_of_birth=D(1985, 7, 1)
        ),
        "casey": PatientFactory(
            practice=practice, first_name="Casey", last_name="Avery", date_of_birth=D(1990, 4, 12)
        ),
        "foreign": PatientFactory(
            practice=other_practice, first_name="Avery", last_name="Quill", date_of_birth=D(1990, 4, 12)
        ),
    }


def _names(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{p.first_name} {p.last_name}" for p in page.patients]


@pytest.mark.parametrize(
    ("_case", "kwargs", "expected"),
    [
        ("everyone in the practice", {}, ["Casey Avery", "Avery Quill", "Blake Quillon"]),
        ("one word matches first or last name", {"query": "avery"}, ["Casey Avery", "Avery Quill"]),
        ("prefix, case-insensitive", {"query": "QUILL"}, ["Avery Quill", "Blake Quillon"]),
        ("first last", {"query": "avery quill"}, ["Avery Quill"]),
        ("last first", {"query": "quill avery"}, ["Avery Quill"]),
        ("last, first", {"query": "Quill, Avery"}, ["Avery Quill"]),
        ("last, first does not swap", {"query": "Avery, Quill"}, []),
        ("dob iso", {"dob": "1990-04-12"}, ["Casey Avery", "Avery Quill"]),
        ("dob us", {"dob": "04/12/1990"}, ["Casey Avery", "Avery Quill"]),
        ("a date typed in the name box", {"query": "07/01/1985"}, ["Blake Quillon"]),
        ("name and dob", {"query": "avery", "dob": "1990-04-12"}, ["Casey Avery", "Avery Quill"]),
        ("nobody", {"query": "zz"}, []),
    ],
)
def test_search(people, biller_access, _case, kwargs, expected):
    assert _names(selectors.patient_list_for_user(access=biller_access, **kwargs)) == expected


def test_search_by_member_id(people, biller_access, payer):
    # given
    CoverageFactory(patient=people["blake"], payer=payer, member_id="ZQ77001")
    CoverageFactory(
        patient=people["foreign"],
        payer=PayerFactory(practice=people["foreign"].practice),
        member_id="ZQ77001",
    )
    # when
    page = selectors.patient_list_for_user(access=biller_access, member_id="zq77001")
    # then
    assert _names(page) == ["Blake Quillon"]
    assert events()[-1].detail == "results=1;total=1;filters=member_id"


def test_list_records_one_event_without_phi(people, biller_access):
    # when
    selectors.patient_list_for_user(access=biller_access, query="Quill", dob="1990-04-12")
    # then
    assert [(e.action, e.category, e.patient_id, e.practice_id, e.outcome, e.detail) for e in events()] == [
        (
            "list",
            "demographics",
            None,
            biller_access.practice_id,
            "allowed",
            "results=1;total=1;filters=name,dob",
        )
    ]


def test_bad_dob_is_a_field_error_and_reads_nothing(people, biller_access):
    with pytest.raises(ValidationFailed) as caught:
        selectors.patient_list_for_user(access=biller_access, dob="April 12")
    assert caught.value.field_errors == {"dob": ["Enter the date as YYYY-MM-DD or MM/DD/YYYY."]}
    assert events() == []


def test_pagination(practice, biller_access):
    # given
    for n in range(5):
        PatientFactory(practice=practice, last_name=f"Zephyr{n}", first_name="Pat")
    # when
    page = selectors.patient_list_for_user(access=biller_access, offset=2, limit=2)
    # then
    assert ([p.last_name for p in page.patients], page.total, page.has_previous, page.has_next) == (
        ["Zephyr2", "Zephyr3"],
        5,
        True,
        True,
    )


def test_primary_coverage_is_attached_for_coverage_viewers(practice, biller_access, payer, frozen_today):
    # given
    patient = PatientFactory(practice=practice)
    CoverageFactory(
        patient=patient,
        payer=payer,
        member_id="OLD00001",
        effective_on=D(2024, 1, 1),
        terminates_on=D(2025, 12, 31),
    )
    CoverageFactory(patient=patient, payer=payer, member_id="NOW00001", effective_on=D(2026, 1, 1))
    CoverageFactory(
        patient=patient, payer=payer, member_id="SEC00001", priority=2, effective_on=D(2026, 1, 1)
    )
    # when
    page = selectors.patient_list_for_user(access=biller_access)
    # then
    assert page.shows_coverage is True
    assert [c.member_id for c in page.patients[0].current_primary] == ["NOW00001"]


def test_technician_sees_only_their_caseload(practice, make_member, access_for, people, frozen_today):
    # given
    tech_user = make_member("technician", practice, provider=True)
    tech = access_for(tech_user)
    CareTeamMemberFactory(patient=people["avery"], provider_id=tech.provider_id)
    CareTeamMemberFactory(patient=people["blake"], provider_id=tech.provider_id, ends_on=D(2026, 3, 15))
    CareTeamMemberFactory(patient=people["casey"])  # someone else's caseload
    # when
    page = selectors.patient_list_for_user(access=tech)
    # then
    assert _names(page) == ["Avery Quill"]
    assert page.shows_coverage is False
    assert not hasattr(page.patients[0], "current_primary")


def test_technician_cannot_search_by_member_id(practice, make_member, access_for, people):
    tech = access_for(make_member("technician", practice, provider=True))
    with pytest.raises(PermissionDenied):
        selectors.patient_list_for_user(access=tech, member_id="ZQ77001")
    assert [(e.action, e.category, e.outcome) for e in events()] == [("list", "coverage", "denied")]


def test_technician_without_provider_profile_sees_nobody(practice, make_member, access_for, people):
    tech = access_for(make_member("technician", practice))
    assert selectors.patient_list_for_user(access=tech).patients == []


def test_compliance_may_not_list_patients(practice, make_member, access_for, people):
    auditor = access_for(make_member("compliance", practice))
    with pytest.raises(PermissionDenied):
        selectors.patient_list_for_user(access=auditor)
    assert [(e.action, e.outcome) for e in events()] == [("list", "denied")]


def _fill(practice, payer, count: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(count):
        patient = PatientFactory(practice=practice)
        CoverageFactory(patient=patient, payer=payer)


@pytest.fixture
def audit_chain_started(db) -> None:  # type: ignore[no-untyped-def]
    """The chain head exists (as in any running system), so an append costs the same every time."""
    AuditChainHead.objects.get_or_create(singleton=True, defaults={"last_seq": 0, "last_hash": GENESIS_HASH})


# An audit append: savepoint, lock the chain head, insert the event, move the head, release.
AUDIT_APPEND_QUERIES = 5


@pytest.mark.parametrize("count", [3, 12])
def test_list_query_count_does_not_grow_with_patients(
    practice, biller_access, payer, count, audit_chain_started, django_assert_num_queries
):
    # given
    _fill(practice, payer, count)
    # when / then: timezone, count, page, primary coverages with their payers, the audit append
    with django_assert_num_queries(4 + AUDIT_APPEND_QUERIES):
        page = selectors.patient_list_for_user(access=biller_access, query="", limit=25)
        assert [p.current_primary[0].payer.name for p in page.patients] == ["Prairie Mutual Health"] * count


def test_get_records_one_view_event(practice, biller_access):
    # given
    patient = PatientFactory(practice=practice)
    GuarantorFactory(patient=patient)
    # when
    found = selectors.patient_get_for_user(
        access=biller_access, patient_id=patient.pk, purpose="coverage_form"
    )
    # then
    assert found.pk == patient.pk
    assert [(e.action, e.category, e.patient_id, e.object_type, e.object_id, e.detail) for e in events()] == [
        (
            "view",
            "demographics",
            patient.pk,
            "patient",
            str(patient.pk),
            "sections=demographics,guarantor;purpose=coverage_form",
        )
    ]


@pytest.mark.parametrize("which", ["other practice", "missing"])
def test_get_of_inaccessible_patient_is_denied_and_not_found(other_practice, biller_access, which):
    # given
    patient_id = PatientFactory(practice=other_practice).pk if which == "other practice" else 999_999
    # when
    with pytest.raises(NotFound):
        selectors.patient_get_for_user(access=biller_access, patient_id=patient_id)
    # then
    denied = ("view", "demographics", patient_id, "denied", "reason=not_accessible")
    # another practice's patient: also recorded in that practice (audit.owners)
    expected = [denied]
    if which == "other practice":
        expected.append(
            (*denied[:4], f"cross_practice;from_practice={biller_access.practice_id};reason=not_accessible")
        )
    assert [(e.action, e.category, e.patient_id, e.outcome, e.detail) for e in events()] == expected


def test_technician_outside_caseload_is_denied(practice, make_member, access_for):
    # given
    tech = access_for(make_member("technician", practice, provider=True))
    patient = PatientFactory(practice=practice)
    # when
    with pytest.raises(NotFound):
        selectors.patient_record_get_for_user(access=tech, patient_id=patient.pk)
    # then
    assert [(e.outcome, e.patient_id, e.detail) for e in events()] == [
        ("denied", patient.pk, "reason=not_on_caseload")
    ]


def _full_record(practice, payer):  # type: ignore[no-untyped-def]
    patient = PatientFactory(practice=practice)
    GuarantorFactory(patient=patient)
    CoverageFactory(patient=patient, payer=payer)
    DiagnosisFactory(patient=patient)
    ConsentFactory(patient=patient)
    return patient


@pytest.mark.parametrize(
    ("role", "sections"),
    [
        ("biller", ("demographics", "guarantor", "coverage", "diagnosis", "consent", "care_team")),
        ("clinician", ("demographics", "guarantor", "coverage", "diagnosis", "consent", "care_team")),
        ("technician", ("demographics", "guarantor", "diagnosis", "consent", "care_team")),
    ],
)
def test_record_sections_follow_capabilities(practice, make_member, access_for, payer, role, sections):
    # given
    patient = _full_record(practice, payer)
    access = access_for(make_member(role, practice, provider=True))
    CareTeamMemberFactory(patient=patient, provider_id=access.provider_id)
    # when
    record = selectors.patient_record_get_for_user(access=access, patient_id=patient.pk)
    # then
    assert record.sections == sections
    assert (record.coverages is None) is ("coverage" not in sections)
    assert len(record.diagnoses) == 1
    assert [(e.action, e.patient_id, e.detail) for e in events()] == [
        ("view", patient.pk, "sections=" + ",".join(sections))
    ]


def test_record_query_count(practice, biller_access, payer, audit_chain_started, django_assert_num_queries):
    patient = _full_record(practice, payer)
    # timezone, patient+guarantor, coverages with payers, diagnoses, consents, care team, the audit append
    with django_assert_num_queries(6 + AUDIT_APPEND_QUERIES):
        selectors.patient_record_get_for_user(access=biller_access, patient_id=patient.pk)


def test_coverage_list_needs_coverage_view(practice, make_member, access_for, payer):
    # given
    patient = _full_record(practice, payer)
    tech = access_for(make_member("technician", practice, provider=True))
    CareTeamMemberFactory(patient=patient, provider_id=tech.provider_id)
    # when
    with pytest.raises(PermissionDenied):
        selectors.coverage_list_for_user(access=tech, patient_id=patient.pk)
    # then
    assert [(e.action, e.category, e.outcome, e.patient_id) for e in events()] == [
        ("view", "coverage", "denied", patient.pk)
    ]


def test_section_lists_record_one_event_each(practice, biller_access, payer):
    patient = _full_record(practice, payer)
    coverages = selectors.coverage_list_for_user(access=biller_access, patient_id=patient.pk)
    diagnoses = selectors.diagnosis_list_for_user(access=biller_access, patient_id=patient.pk)
    consents = selectors.consent_list_for_user(access=biller_access, patient_id=patient.pk)
    assert (len(coverages), len(diagnoses), len(consents)) == (1, 1, 1)
    assert [(e.action, e.category) for e in events()] == [
        ("view", "coverage"),
        ("view", "diagnosis"),
        ("view", "consent"),
    ]


def test_payer_choices_exclude_inactive_self_pay_and_other_practices(practice, other_practice, payer):
    PayerFactory(practice=practice, name="Zeta Retired", is_active=False)
    PayerFactory(practice=practice, name="Self pay", kind="self_pay", payer_id="")
    PayerFactory(practice=other_practice, name="Elsewhere Health")
    assert selectors.payer_choices_for_practice(practice_id=practice.pk) == [
        (payer.pk, "Prairie Mutual Health")
    ]


@pytest.mark.parametrize(("_case", "starts_on", "ends_on", "visible"), edges_around(TODAY))
def test_technician_caseload_edges(
    practice, make_member, access_for, frozen_today, _case, starts_on, ends_on, visible
):
    # given the tech's membership on the patient's care team starts or ends around today
    tech = access_for(make_member("technician", practice, provider=True))
    patient = PatientFactory(practice=practice)
    CareTeamMemberFactory(patient=patient, provider_id=tech.provider_id, starts_on=starts_on, ends_on=ends_on)
    # when
    listed = [p.pk for p in selectors.patient_list_for_user(access=tech).patients]
    # then the list and the single read agree with the care-team rule
    assert listed == ([patient.pk] if visible else [])
    if visible:
        assert selectors.patient_get_for_user(access=tech, patient_id=patient.pk).pk == patient.pk
    else:
        with pytest.raises(NotFound):
            selectors.patient_get_for_user(access=tech, patient_id=patient.pk)
