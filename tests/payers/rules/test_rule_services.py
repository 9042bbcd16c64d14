"""Payer rule-set services and selectors on a real database; the wiring into coding and notes."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from clinical_notes.selectors import payer_requires_cosign
from coding.domain.types import UnitRule
from core.errors import NotFound, PermissionDenied, ValidationFailed
from payers import selectors
from payers.demo_rules import demo_payer_rules_seed
from payers.models import PayerRuleSet
from payers.rule_services import payer_rule_set_create, payer_rule_set_update
from payers.selectors import payer_coding_rules_on, payer_for_coding
from tests.factories import CoverageFactory, PatientFactory, PayerFactory
from tests.factories.authorizations import PayerRuleSetFactory
from tests.factories.clinical import SessionNoteFactory

pytestmark = pytest.mark.django_db

MEDICARE_LIKE = {"coding": {"unit_rule": "cms_8_minute", "video_modifier": ""}, "cosign_required": True}


def _rows(payer):
    return list(
        PayerRuleSet.objects.filter(payer=payer)
        .order_by("effective_from")
        .values_list("effective_from", "effective_to", "rules")
    )


# ---- create ----------------------------------------------------------------------------------------


def test_create_stores_the_canonical_document(admin_access, practice):
    # given
    payer = PayerFactory(practice=practice)

    # when
    rule_set = payer_rule_set_create(
        access=admin_access,
        payer_pk=payer.pk,
        effective_from=date(2025, 1, 1),
        rules={"prior_auth": [{"codes": ["97153 "]}], "cosign_required": True},
        notes="  From the 2025 provider manual. ",
    )

    # then
    rule_set.refresh_from_db()
    assert rule_set.rules["prior_auth"] == [{"codes": ["97153"], "after_visits_per_year": None}]
    assert rule_set.rules["coding"]["unit_rule"] == "cpt_midpoint"
    assert (rule_set.notes, rule_set.created_by_id, rule_set.effective_to) == (
        "From the 2025 provider manual.",
        admin_access.user_id,
        None,
    )


def test_new_open_version_ends_the_previous_one(admin_access, practice):
    # given
    payer = PayerFactory(practice=practice)
    PayerRuleSetFactory(payer=payer, effective_from=date(2024, 1, 1))

    # when
    payer_rule_set_create(
        access=admin_access, payer_pk=payer.pk, effective_from=date(2026, 1, 1), rules=MEDICARE_LIKE
    )

    # then
    assert [(start, end) for start, end, _ in _rows(payer)] == [
        (date(2024, 1, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), None),
    ]


@pytest.mark.parametrize(
    ("_case", "kwargs", "field"),
    [
        ("unknown code", {"rules": {"prior_auth": [{"codes": ["12345"]}]}}, "prior_auth[0].codes"),
        ("unreadable rules", {"rules": {"coding": {"unit_rule": "weekly"}}}, "coding.unit_rule"),
        ("dates reversed", {"effective_to": date(2023, 1, 1)}, "effective_to"),
        ("same start as an existing version", {"effective_from": date(2024, 1, 1)}, "effective_from"),
        (
            "closed version overlapping",
            {"effective_from": date(2023, 6, 1), "effective_to": date(2024, 2, 1)},
            "effective_from",
        ),
    ],
)
def test_invalid_rules_write_nothing(admin_access, practice, _case, kwargs, field):
    # given
    payer = PayerFactory(practice=practice)
    PayerRuleSetFactory(payer=payer, effective_from=date(2024, 1, 1))
    before = _rows(payer)
    arguments = {"effective_from": date(2024, 6, 1), "effective_to": None, "rules": {}} | kwargs

    # when
    with pytest.raises(ValidationFailed) as error:
        payer_rule_set_create(access=admin_access, payer_pk=payer.pk, **arguments)

    # then
    assert field in error.value.field_errors
    assert _rows(payer) == before


def test_only_admins_change_rules(biller_access, practice):
    payer = PayerFactory(practice=practice)
    with pytest.raises(PermissionDenied):
        payer_rule_set_create(
            access=biller_access, payer_pk=payer.pk, effective_from=date(2025, 1, 1), rules={}
        )
    assert PayerRuleSet.objects.count() == 0


def test_another_practices_payer_is_not_found(admin_access, other_practice):
    payer = PayerFactory(practice=other_practice)
    with pytest.raises(NotFound):
        payer_rule_set_create(
            access=admin_access, payer_pk=payer.pk, effective_from=date(2025, 1, 1), rules={}
        )
    assert PayerRuleSet.objects.count() == 0


def test_update_replaces_rules_and_dates(admin_access, practice):
    # given
    payer = PayerFactory(practice=practice)
    rule_set = PayerRuleSetFactory(payer=payer, effective_from=date(2024, 1, 1))

    # when
    payer_rule_set_update(
        access=admin_access,
        payer_pk=payer.pk,
        rule_set_id=rule_set.pk,
        effective_from=date(2024, 2, 1),
        effective_to=date(2024, 12, 31),
        rules=MEDICARE_LIKE,
        notes="fixed",
    )

    # then
    rule_set.refresh_from_db()
    assert (rule_set.effective_from, rule_set.effective_to, rule_set.notes) == (
        date(2024, 2, 1),
        date(2024, 12, 31),
        "fixed",
    )
    assert rule_set.rules["coding"]["unit_rule"] == "cms_8_minute"


def test_update_with_a_bad_code_changes_nothing(admin_access, practice):
    payer = PayerFactory(practice=practice)
    rule_set = PayerRuleSetFactory(
        payer=payer, effective_from=date(2024, 1, 1), rules={"cosign_required": True}
    )
    before = _rows(payer)
    with pytest.raises(ValidationFailed):
        payer_rule_set_update(
            access=admin_access,
            payer_pk=payer.pk,
            rule_set_id=rule_set.pk,
            effective_from=date(2024, 1, 1),
            effective_to=None,
            rules={"coding": {"max_units_per_day": {"ZZZZZ": 4}}},
        )
    assert _rows(payer) == before


# ---- reading the policy on a date ------------------------------------------------------------------


def test_policy_on_a_date_with_fallback_to_kind_defaults(practice):
    # given
    payer = PayerFactory(practice=practice, kind="medicare", timely_filing_days=365, appeal_window_days=120)
    PayerRuleSetFactory(
        payer=payer, effective_from=date(2025, 1, 1), rules={"coding": {"video_modifier": "95"}}
    )

    # when
    before = selectors.payer_policy_on(payer_pk=payer.pk, on=date(2024, 12, 31))
    after = selectors.payer_policy_on(payer_pk=payer.pk, on=date(2025, 1, 1))

    # then: before the version, coding's medicare defaults; from it, the version (windows from the payer)
    assert (before.rule_set_id, before.coding.unit_rule, before.coding.video_modifier) == (
        None,
        UnitRule.CMS_8_MINUTE,
        "",
    )
    assert (after.rule_set_id, after.coding.unit_rule, after.coding.video_modifier) == (
        PayerRuleSet.objects.get().pk,
        UnitRule.CPT_MIDPOINT,
        "95",
    )
    assert (after.timely_filing_days, after.appeal_window_days) == (365, 120)
    assert after.coding.label == f"{payer.name} (rules from 2025-01-01)"


def test_policy_queries(practice, django_assert_num_queries):
    payer = PayerFactory(practice=practice)
    PayerRuleSetFactory(payer=payer, effective_from=date(2025, 1, 1))
    with django_assert_num_queries(2):
        selectors.payer_policy_on(payer_pk=payer.pk, on=date(2025, 3, 1))


def test_unknown_payer_is_not_found(db):
    with pytest.raises(NotFound):
        selectors.payer_policy_on(payer_pk=999_999, on=date(2025, 1, 1))


def test_coding_rules_for_payer_uses_the_rule_set(practice):
    payer = PayerFactory(practice=practice, kind="commercial", payer_id="RULES1")
    PayerRuleSetFactory(
        payer=payer, effective_from=date(2025, 1, 1), rules={"coding": {"unit_rule": "cms_8_minute"}}
    )
    ref = payer_for_coding(payer_id="RULES1")
    assert (
        payer_coding_rules_on(payer_pk=ref.payer_pk, on=date(2025, 6, 1)).unit_rule is UnitRule.CMS_8_MINUTE
    )
    assert (
        payer_coding_rules_on(payer_pk=ref.payer_pk, on=date(2024, 6, 1)).unit_rule is UnitRule.CPT_MIDPOINT
    )


def test_suggest_codes_applies_the_payers_rule_set(practice):
    # given: a commercial payer whose 2026 rules put POS 02 and GT on every telehealth session
    payer = PayerFactory(practice=practice, kind="commercial", payer_id="TELE1")
    PayerRuleSetFactory(
        payer=payer,
        effective_from=date(2026, 1, 1),
        rules={"coding": {"telehealth_pos": "always_02", "video_modifier": "GT"}},
    )
    out = StringIO()

    # when
    call_command(
        "suggest_codes",
        "--service=individual_psychotherapy",
        "--minutes=45",
        "--payer=TELE1",
        "--telehealth=audio_video",
        "--date=2026-03-02",
        stdout=out,
    )

    # then
    assert json.loads(out.getvalue())["lines"] == [
        {"code": "90834", "units": 1, "modifiers": ["GT"], "pos": "02"}
    ]


# ---- co-signature before billing (clinical notes) ---------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "dos", "expected"),
    [("before the rules", date(2025, 12, 31), False), ("under the rules", date(2026, 1, 1), True)],
)
def test_payer_requires_cosign_follows_the_primary_payers_rules(practice, _case, dos, expected):
    # given
    patient = PatientFactory(practice=practice)
    payer = PayerFactory(practice=practice, kind="medicaid")
    CoverageFactory(patient=patient, payer=payer, effective_on=date(2025, 1, 1))
    PayerRuleSetFactory(payer=payer, effective_from=date(2026, 1, 1), rules={"cosign_required": True})
    note = SessionNoteFactory(practice=practice, patient=patient, date_of_service=dos)

    # then
    assert payer_requires_cosign(note=note) is expected


def test_no_primary_coverage_needs_no_payer_cosign(practice):
    patient = PatientFactory(practice=practice)
    note = SessionNoteFactory(practice=practice, patient=patient, date_of_service=date(2026, 1, 5))
    assert payer_requires_cosign(note=note) is False


# ---- demo seed -------------------------------------------------------------------------------------


def test_demo_seed_is_idempotent(admin_access, practice):
    # given
    payers = {
        "commercial": PayerFactory(practice=practice, kind="commercial"),
        "medicaid": PayerFactory(practice=practice, kind="medicaid"),
        "medicare": PayerFactory(practice=practice, kind="medicare"),
        "self_pay": PayerFactory(practice=practice, kind="self_pay", payer_id=""),
    }

    # when
    first = demo_payer_rules_seed(access=admin_access, payers_by_kind=payers)
    second = demo_payer_rules_seed(access=admin_access, payers_by_kind={k: p.pk for k, p in payers.items()})

    # then
    assert (first, second) == (5, 0)
    medicare = payers["medicare"].pk
    assert selectors.payer_policy_on(payer_pk=medicare, on=date(2023, 6, 1)).rendering[0].credentials == (
        "MD/DO",
        "PhD/PsyD",
        "PMHNP",
        "PA",
        "LCSW",
    )
    assert (
        "LMFT" in selectors.payer_policy_on(payer_pk=medicare, on=date(2024, 1, 1)).rendering[0].credentials
    )
    medicaid = selectors.payer_policy_on(payer_pk=payers["medicaid"].pk, on=date(2026, 1, 1))
    assert (
        medicaid.cosign_required,
        medicaid.billing_frequency.value,
        medicaid.coding.practitioner_modifiers,
    ) == (
        True,
        "monthly",
        True,
    )
    commercial = selectors.payer_coding_rules_on(payer_pk=payers["commercial"].pk, on=date(2026, 1, 1))
    assert dict(commercial.max_units_per_day) == {"97153": 32}
