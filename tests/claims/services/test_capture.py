"""Charge capture from a final note: lines, payer, supervisor, fees, authorization, idempotency."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from authorizations.models import AuthorizationUsage
from claims.models import BillableNote, Charge, ChargeEvent, ChargeSet
from claims.services import charges_capture_for_note, note_ready_to_bill_record
from claims.tasks import note_ready_to_bill_task
from clinical_notes import services as note_services
from core.domain.service_types import ServiceType
from tests.claims.conftest import DOS, charges_of, final_note, lines_of
from tests.clinical_notes.helpers import sign, write_note
from tests.factories import PatientFactory
from tests.factories.authorizations import PriorAuthorizationFactory
from tests.factories.clinical import PatientDiagnosisFactory

pytestmark = pytest.mark.django_db


def test_a_crisis_session_of_80_minutes_yields_90839_and_90840(billing):
    # when
    note = final_note(billing, service_type=ServiceType.CRISIS_PSYCHOTHERAPY, minutes=80)
    # then
    charges = charges_of(note)
    assert lines_of(note) == [("90839", 1, ["HO"]), ("90840", 1, ["HO"])]
    assert [(c.place_of_service, c.diagnosis_pointers, c.documented_minutes, c.unit_fee_cents, c.fee_cents, c.fee_source) for c in charges.lines.order_by("line_number")] == [
        ("11", [1], 74, 15000, 15000, "default"),
        ("11", [1], 6, 7000, 7000, "default"),
    ]  # fmt: skip
    assert (charges.payer_id, charges.coverage_id, charges.self_pay) == (
        billing.medicaid.pk,
        billing.coverage.pk,
        False,
    )
    assert (charges.rendering_provider_id, charges.supervising_provider_id) == (
        billing.clinic.clinician.pk,
        None,
    )
    assert (charges.status, charges.error_count, charges.findings) == ("ready", 0, [])
    assert charges.claim_diagnoses == ["F84.0"]
    assert charges.rules_label == "State Medicaid MCO (rules from Wed 1 Jan 2025)"
    assert "80 minutes of crisis psychotherapy (30 or more): 90839 once for the date." in charges.why
    assert (
        "Crisis time beyond 74 minutes: +90840 x1 (one at 75 minutes, one more for each further 30 minutes)."
        in charges.why
    )


def test_a_medicaid_rbt_session_is_h2019_hm_with_the_bcba_as_supervising_provider(billing):
    clinic = billing.clinic
    # when: the RBT's 60-minute ABA session, co-signed by the BCBA
    note = final_note(billing, author="tech", service_type=ServiceType.ABA_TECHNICIAN_TREATMENT, minutes=60)
    # then
    charges = charges_of(note)
    assert lines_of(note) == [("H2019", 4, ["HM"])]
    assert (charges.rendering_provider_id, charges.supervising_provider_id, charges.supervisor_billing) == (
        clinic.tech.pk,
        clinic.supervisor.pk,
        "with_supervisor",
    )
    line = charges.lines.get()
    assert (line.unit_fee_cents, line.fee_cents, line.fee_source) == (1850, 7400, "payer")
    assert (
        "State Medicaid MCO (rules from Wed 1 Jan 2025): 97153 rendered by RBT is billed as H2019."
        in charges.why
    )
    assert "H2019 rendered by RBT: renders; supervising provider on the claim (rule 1)." in charges.why
    assert charges.status == "ready"


def test_the_same_rbt_session_under_a_commercial_plan_stays_97153_without_a_supervisor(billing):
    # given: the patient's primary coverage is commercial (no substitution, no supervisor rule)
    billing.coverage.payer = billing.commercial
    billing.coverage.save(update_fields=["payer"])
    # when
    note = final_note(billing, author="tech", service_type=ServiceType.ABA_TECHNICIAN_TREATMENT, minutes=60)
    # then
    charges = charges_of(note)
    assert lines_of(note) == [("97153", 4, [])]
    assert (charges.payer_id, charges.supervising_provider_id, charges.supervisor_billing) == (
        billing.commercial.pk,
        None,
        "",
    )


def test_no_coverage_on_the_date_is_a_flagged_self_pay_charge(billing):
    # given: the coverage ended before the session
    billing.coverage.terminates_on = DOS - dt.timedelta(days=1)
    billing.coverage.save(update_fields=["terminates_on"])
    # when
    note = final_note(billing, service_type=ServiceType.INDIVIDUAL_PSYCHOTHERAPY, minutes=45)
    # then: coded by the CPT rules alone (no HO), billed to the patient, flagged
    charges = charges_of(note)
    assert lines_of(note) == [("90834", 1, [])]
    assert (charges.payer_id, charges.coverage_id, charges.self_pay, charges.rules_label) == (
        None,
        None,
        True,
        "Self-pay (CPT rules)",
    )
    assert [(f["code"], f["severity"]) for f in charges.findings] == [("self_pay", "warning")]
    assert charges.status == "ready"
    assert (
        charges.why[0]
        == "No primary coverage active on Mon 9 Mar 2026: self-pay, coded by the CPT rules alone."
    )


def test_running_the_task_twice_yields_one_charge_set(billing, eager_tasks):
    note = final_note(billing, capture=False)
    # when
    note_ready_to_bill_task.apply(kwargs={"note_id": note.pk})
    note_ready_to_bill_task.apply(kwargs={"note_id": note.pk})
    charges_capture_for_note(note_id=note.pk)
    # then
    assert ChargeSet.objects.filter(note=note).count() == 1
    assert Charge.objects.filter(charge_set__note=note).count() == 1
    assert BillableNote.objects.filter(note=note).count() == 1
    assert list(ChargeEvent.objects.filter(charge_set__note=note).values_list("kind", flat=True)) == [
        "captured",
        "scrubbed",
    ]
    assert AuditEvent.objects.filter(object_type="charge_set", action="create").count() == 1


def test_finalising_a_note_through_the_services_captures_charges_in_process(
    billing, eager_tasks, django_capture_on_commit_callbacks
):
    # given: eager Celery (what the demo and seed_demo run with when REDIS_URL is not set)
    access = billing.access(billing.clinic.clinician_user)
    note = write_note(
        access,
        patient_id=billing.patient.pk,
        diagnosis_ids=[billing.clinic.diagnosis.pk],
        service_type=ServiceType.INDIVIDUAL_PSYCHOTHERAPY,
        minutes=55,
    )
    # when: the note is signed (final at once for an LPC) and the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        sign(access, note)
    # then
    assert lines_of(note) == [("90837", 1, ["HO"])]


def test_a_note_that_is_not_final_captures_nothing(billing):
    clinic = billing.clinic
    access = clinic.access(clinic.tech_user)
    note = sign(
        access,
        write_note(access, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk]),
    )
    assert note.status == "awaiting_cosign"
    assert charges_capture_for_note(note_id=note.pk) is None
    assert charges_capture_for_note(note_id=999_999) is None
    assert ChargeSet.objects.count() == 0


def test_a_second_crisis_note_on_the_same_date_adds_the_90840_the_day_earned(billing):
    # given: 40 crisis minutes in the morning (90839) ...
    first = final_note(billing, service_type=ServiceType.CRISIS_PSYCHOTHERAPY, minutes=40, hour=9)
    assert lines_of(first) == [("90839", 1, ["HO"])]
    # when: ... and 40 more in the afternoon: 80 on the date
    second = final_note(billing, service_type=ServiceType.CRISIS_PSYCHOTHERAPY, minutes=40, hour=15)
    # then: the afternoon note carries the +90840, not a second 90839
    assert lines_of(second) == [("90840", 1, ["HO"])]
    charges = charges_of(second)
    assert "90840 x1: earned by the day's total with another session of the date; billed here." in charges.why
    assert charges.error_count == 0


def test_an_authorization_that_covers_the_line_goes_on_it_and_its_usage_is_recorded(billing):
    clinic = billing.clinic
    auth = PriorAuthorizationFactory(
        practice=clinic.practice,
        patient=clinic.patient,
        payer=billing.medicaid,
        codes=["H2019"],
        number="MCD-PA-77",
    )
    # when
    note = final_note(billing, author="tech", service_type=ServiceType.ABA_TECHNICIAN_TREATMENT, minutes=60)
    # then
    line = charges_of(note).lines.get()
    assert (line.authorization_id, line.auth_number) == (auth.pk, "MCD-PA-77")
    assert list(
        AuthorizationUsage.objects.values_list("authorization_id", "source_id", "units", "service_date")
    ) == [(auth.pk, f"charge-line:{line.pk}", 4, DOS)]
    # and capturing again records nothing more
    charges_capture_for_note(note_id=note.pk)
    assert AuthorizationUsage.objects.count() == 1


def test_charges_capture_for_another_patient_is_independent(billing):
    other = PatientFactory(practice=billing.practice)
    dx = PatientDiagnosisFactory(patient=other, code="F411")
    other.care_team.create(provider=billing.clinic.clinician)
    note = final_note(billing, patient=other, diagnosis_ids=[dx.pk], minutes=38)
    charges = charges_of(note)
    assert lines_of(note) == [("90834", 1, [])]
    assert (charges.self_pay, charges.claim_diagnoses) == (True, ["F41.1"])


def test_capture_of_a_returned_then_final_note_happens_once(
    billing, eager_tasks, django_capture_on_commit_callbacks
):
    clinic = billing.clinic
    tech = clinic.access(clinic.tech_user)
    note = sign(tech, write_note(tech, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        note_services.note_cosign(
            access=clinic.access(clinic.supervisor_user), note_id=note.pk, attested=True
        )
    note_ready_to_bill_record(note_id=note.pk)
    assert ChargeSet.objects.filter(note=note).count() == 1
