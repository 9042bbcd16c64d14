"""Payer-rules reads: the policy on a date (with the kind defaults as fallback), what coding and
the notes learn from it, and the payer-detail page's versions (paginated after the filters)."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from coding.domain.types import UnitRule
from core.errors import NotFound
from payer_rules import selectors
from payer_rules.models import PayerRuleSet
from payer_rules.selectors import payer_coding_rules_on
from payers.selectors import payer_for_coding
from tests.factories import PayerFactory
from tests.factories.authorizations import PayerRuleSetFactory

pytestmark = pytest.mark.django_db


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
    assert after.coding.label == f"{payer.name} (rules from Wed 1 Jan 2025)"


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


# ---- the payer page's versions -------------------------------------------------------------------


def _versions(payer, years):
    return [
        PayerRuleSetFactory(payer=payer, effective_from=date(year, 1, 1), effective_to=date(year, 12, 31))
        for year in years
    ]


def test_versions_page_is_cut_after_the_payer_filter(biller_access, practice):
    # given: five versions of this payer, three of another
    payer = PayerFactory(practice=practice)
    mine = _versions(payer, range(2020, 2025))
    _versions(PayerFactory(practice=practice), range(2020, 2023))

    # when
    first = selectors.payer_rule_set_page(access=biller_access, payer_pk=payer.pk, page=1, per_page=2)
    last = selectors.payer_rule_set_page(access=biller_access, payer_pk=payer.pk, page=3, per_page=2)

    # then: newest first, only this payer's
    assert ([e.rule_set_id for e in first.entries], first.total, first.num_pages, first.next_number) == (
        [mine[4].pk, mine[3].pk],
        5,
        3,
        2,
    )
    assert ([e.rule_set_id for e in last.entries], last.previous_number, last.next_number) == (
        [mine[0].pk],
        2,
        None,
    )


def test_another_practices_payer_has_no_versions_page(biller_access, other_practice):
    payer = PayerFactory(practice=other_practice)
    _versions(payer, [2024])
    with pytest.raises(NotFound):
        selectors.payer_rule_set_page(access=biller_access, payer_pk=payer.pk)


@pytest.mark.parametrize(("_case", "count"), [("one version", 1), ("many versions", 12)])
def test_versions_page_queries_do_not_grow_with_the_versions(
    _case, count, biller_access, practice, django_assert_num_queries
):
    # given
    payer = PayerFactory(practice=practice)
    _versions(payer, range(2000, 2000 + count))

    # when / then: the payer, the count, one page of versions with their authors
    with django_assert_num_queries(3):
        page = selectors.payer_rule_set_page(access=biller_access, payer_pk=payer.pk, per_page=10)
    assert len(page.entries) == min(count, 10)
