"""The Django admin form for rule sets runs the same pure checks as the services."""

from __future__ import annotations

import pytest

from payer_rules.admin import PayerRuleSetAdminForm
from tests.factories import PayerFactory

pytestmark = pytest.mark.django_db


def test_admin_form_checks_the_rules(practice):
    # given
    payer = PayerFactory(practice=practice)
    data = {
        "payer": payer.pk,
        "effective_from": "2025-01-01",
        "rules": '{"prior_auth": [{"codes": ["12345"]}], "coding": {"video_modifier": "93"}}',
        "notes": "",
    }

    # when
    form = PayerRuleSetAdminForm(data=data)

    # then
    assert not form.is_valid()
    assert form.errors["rules"] == [
        "coding.video_modifier: The audio-video telehealth modifier must be one of 95, GT, none, not '93'.",
        "prior_auth[0].codes: 12345 is not a CPT or HCPCS code in the code set.",
    ]


def test_admin_form_stores_the_canonical_document(practice):
    payer = PayerFactory(practice=practice)
    form = PayerRuleSetAdminForm(
        data={
            "payer": payer.pk,
            "effective_from": "2025-01-01",
            "rules": '{"cosign_required": true}',
            "notes": "",
        }
    )
    assert form.is_valid(), form.errors
    rule_set = form.save()
    assert rule_set.rules["cosign_required"] is True
    assert rule_set.rules["coding"]["unit_rule"] == "cpt_midpoint"
