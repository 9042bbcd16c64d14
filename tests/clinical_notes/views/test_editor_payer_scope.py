"""The editor warns the author before signing when the patient's payer will not pay the chosen
service for the author's credential (a warning, not a block), and lists permitted services first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from clinical_notes.models import SessionNote
from core.domain.service_types import ServiceType
from payer_rules.demo_rules import MEDICAID
from tests.clinical_notes.helpers import write_note
from tests.clinical_notes.views.builders import form_data, tech_note
from tests.factories import CoverageFactory, PayerFactory
from tests.factories.authorizations import PayerRuleSetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def medicaid(clinic):
    payer = PayerFactory(practice=clinic.practice, kind="medicaid", name="Keystone Community Care")
    PayerRuleSetFactory(payer=payer, effective_from=dt.date(2024, 1, 1), rules=MEDICAID.rules)
    CoverageFactory(patient=clinic.patient, payer=payer, effective_on=dt.date(2025, 1, 1))
    return payer


def page_for(client, note):
    response = client.get(reverse("clinical_notes:edit", args=[note.pk]))
    assert response.status_code == 200
    return response


def groups(response) -> list[tuple[str, list[str]]]:
    choices = response.context["page"].form.fields["service_type"].choices
    return [(label, [value for value, _ in items]) for label, items in choices]


def test_permitted_service_no_warning_and_listed_first(clinic, client_for, medicaid):
    # given: the RBT's ABA note for a Medicaid patient
    note = tech_note(clinic)

    # when
    response = page_for(client_for(clinic.tech_user), note)

    # then
    assert response.context["page"].payer_warning == ""
    assert 'id="payer-scope-warning"' not in response.content.decode()
    (first_label, first), (other_label, others) = groups(response)
    assert first_label == "Services you may provide"
    # the plan pays technicians 97153, H2019 and H2014 only (not 97152, assessment support)
    assert first == ["aba_technician_treatment", "therapeutic_behavioral_services", "skills_training"]
    assert other_label == "Not paid for your credential by Keystone Community Care"
    assert "individual_psychotherapy" in others
    assert "behavioral_health_counseling" in others


def test_service_the_payer_will_not_pay_warns_before_signing(clinic, client_for, medicaid):
    # given: the RBT documents counseling (H0004), which this Medicaid plan does not pay from an RBT
    note = tech_note(clinic, service_type=ServiceType.BEHAVIORAL_HEALTH_COUNSELING)

    # when
    response = page_for(client_for(clinic.tech_user), note)

    # then
    page = response.context["page"]
    assert page.payer_warning == (
        "Keystone Community Care will not pay behavioral health counseling (H0004) when you document it: "
        "Keystone Community Care (rules from Mon 1 Jan 2024) does not pay H0004 rendered by an RBT (its rule 3)."
    )
    assert page.payer_fix_hint == "Have a credential the payer accepts render it, or bill another payer."
    html = response.content.decode()
    assert 'id="payer-scope-warning"' in html
    assert html.index('id="payer-scope-warning"') < html.index('id="sign-note"')


def test_signing_is_not_blocked_and_repeats_the_warning(clinic, client_for, medicaid):
    # given
    note = tech_note(clinic, service_type=ServiceType.BEHAVIORAL_HEALTH_COUNSELING)
    client = client_for(clinic.tech_user)

    # when
    response = client.post(
        reverse("clinical_notes:sign", args=[note.pk]),
        form_data(page_for(client, note).context["page"].form, attested="on"),
        follow=True,
    )

    # then
    assert SessionNote.objects.get(pk=note.pk).status == "awaiting_cosign"
    shown = [str(m) for m in response.context["messages"]]
    assert shown[0].startswith("Keystone Community Care will not pay behavioral health counseling (H0004)")
    assert shown[1].startswith("Signed and sent to")


def test_without_coverage_the_national_scope_decides(clinic, client_for):
    # given: no coverage on file; a clinician (LPC) documents psychotherapy, the RBT counseling
    lpc_note = write_note(
        clinic.access(clinic.clinician_user),
        patient_id=clinic.patient.pk,
        diagnosis_ids=[clinic.diagnosis.pk],
        service_type=ServiceType.INDIVIDUAL_PSYCHOTHERAPY,
    )
    rbt_note = tech_note(clinic, service_type=ServiceType.BEHAVIORAL_HEALTH_COUNSELING, seed=2)

    # when
    lpc_page = page_for(client_for(clinic.clinician_user), lpc_note).context["page"]
    rbt_page = page_for(client_for(clinic.tech_user), rbt_note).context["page"]

    # then
    assert lpc_page.payer_warning == ""
    assert rbt_page.payer_warning.startswith(
        "Payers generally will not pay behavioral health counseling (H0004) when you document it: An RBT may not render H0004"
    )
