"""Re-scrubbing decides the claim's supervisor again (issue 8, item 12), built like the demo.

The demo's technician (a BHT without an NPI, supervised since before the date of service)
documents behavioural health counselling (H0004) for a Medicaid plan whose rules refuse that
code from technicians. The charges are captured on hold with no supervisor on the claim (the
payer billed nothing through one). Once the plan's rules bill H0004 from technicians under the
supervisor, "scrub again" used to keep the supervisor decided at capture (none) and report
"none supervised <tech> on <date>" although the supervisor co-signed that very note.
"""

from __future__ import annotations

import datetime as dt

import pytest

from claims.services import charge_set_scrub
from core.domain.service_types import ServiceType
from payer_rules.models import PayerRuleSet
from payer_rules.services import payer_rule_set_revise
from practice.models import Provider
from tests.claims.conftest import DOS, MEDICAID_RULES, charges_of, final_note

pytestmark = pytest.mark.django_db


def _codes(findings):
    return sorted(f["code"] for f in findings)


def _demo_like_technician(billing):
    Provider.objects.filter(pk=billing.clinic.tech.pk).update(credential="BHT", npi="")


def _plan_bills_h0004_under_the_supervisor(billing):
    rule_set = PayerRuleSet.objects.get(payer=billing.medicaid)
    rules = {
        **MEDICAID_RULES,
        "rendering": [
            {
                "credentials": ["RBT", "BHT"],
                "codes": ["97153", "H2019", "H0004"],
                "billing": "with_supervisor",
            },
            {"credentials": ["RBT", "BHT"], "codes": [], "billing": "not_allowed"},
        ],
    }
    # the version is in force, so the change is a revision, from a month before the date of service
    payer_rule_set_revise(
        access=billing.admin,
        payer_pk=billing.medicaid.pk,
        rule_set_id=rule_set.pk,
        change_from=DOS - dt.timedelta(days=30),
        rules=rules,
    )


def test_every_finding_shows_at_capture_even_when_the_payer_refuses_the_credential(billing):
    # given: the demo's technician, no NPI, a code the plan refuses from technicians
    _demo_like_technician(billing)
    # when
    note = final_note(
        billing, author="tech", service_type=ServiceType.BEHAVIORAL_HEALTH_COUNSELING, minutes=45
    )
    charge_set = charges_of(note)
    # then: the refusal and the missing NPI together, not one after the other
    assert note.supervisor_id == billing.clinic.supervisor.pk
    assert charge_set.supervising_provider_id is None
    assert _codes(charge_set.findings) == ["credential_cannot_render", "npi_missing"]


def test_scrub_again_names_the_supervisor_who_co_signed_once_the_plan_bills_through_one(billing):
    # given: captured on hold while the plan refused H0004 from technicians
    _demo_like_technician(billing)
    note = final_note(
        billing, author="tech", service_type=ServiceType.BEHAVIORAL_HEALTH_COUNSELING, minutes=45
    )
    charge_set = charges_of(note)
    assert charge_set.supervising_provider_id is None
    # when: the plan now bills it under the supervisor, and the biller scrubs again
    _plan_bills_h0004_under_the_supervisor(billing)
    result = charge_set_scrub(access=billing.biller, charge_set_id=charge_set.pk)
    # then: the supervisor of record (who co-signed) is on the claim; only the real gap is left
    assert (result.supervising_provider_id, result.supervisor_billing) == (
        billing.clinic.supervisor.pk,
        "with_supervisor",
    )
    assert _codes(result.findings) == ["npi_missing"]
    assert "none supervised" not in " ".join(f["message"] for f in result.findings)


def test_scrub_again_drops_a_supervisor_the_plan_no_longer_bills_through(billing):
    # given: captured with the supervisor on the claim (the plan billed H0004 under one)
    _demo_like_technician(billing)
    _plan_bills_h0004_under_the_supervisor(billing)
    note = final_note(
        billing, author="tech", service_type=ServiceType.BEHAVIORAL_HEALTH_COUNSELING, minutes=45
    )
    charge_set = charges_of(note)
    assert charge_set.supervising_provider_id == billing.clinic.supervisor.pk
    # when: the plan's rules go back to refusing it
    latest = PayerRuleSet.objects.filter(payer=billing.medicaid).latest("effective_from")
    payer_rule_set_revise(
        access=billing.admin,
        payer_pk=billing.medicaid.pk,
        rule_set_id=latest.pk,
        change_from=DOS,
        rules=MEDICAID_RULES,
    )
    result = charge_set_scrub(access=billing.biller, charge_set_id=charge_set.pk)
    # then
    assert (result.supervising_provider_id, result.supervisor_billing) == (None, "")
    assert _codes(result.findings) == ["credential_cannot_render", "npi_missing"]
