"""The payer-rule screens: the crosswalk edited in the form, the scope table and crosswalk in the
summary, and "try it" showing who may render (with how to fix) and the payer's code."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from payer_rules.models import PayerRuleSet
from tests.factories import PayerFactory
from tests.factories.authorizations import PayerRuleSetFactory
from tests.payer_rules.views.test_rule_views import form_data

pytestmark = pytest.mark.django_db

CROSSWALK = {"service_type": "case_management", "code": "T1017", "credentials": []}


@pytest.fixture
def web(practice, make_member, client_for):
    def _make(role):
        return client_for(make_member(role, practice))

    return _make


@pytest.fixture
def plan(practice):
    payer = PayerFactory(practice=practice, kind="medicaid", name="Keystone Community Care")
    rules = {
        "coding": {"crosswalk": [CROSSWALK]},
        "rendering": [{"credentials": ["LMSW"], "codes": [], "billing": "not_allowed"}],
    }
    return payer, PayerRuleSetFactory(payer=payer, effective_from=date(2024, 1, 1), rules=rules)


def test_crosswalk_is_saved_from_the_form(web, plan):
    payer, first = plan
    data = form_data(
        **{
            "crosswalk-0-service_type": "group_psychotherapy",
            "crosswalk-0-code": "h0005",
            "crosswalk-0-credentials": "CADC, LCADC",
        }
    )

    response = web("practice_admin").post(reverse("payers:rule_set_create", args=[payer.pk]), data)

    assert response.status_code == 302
    new = PayerRuleSet.objects.exclude(pk=first.pk).get()
    assert new.rules["coding"]["crosswalk"] == [
        {"service_type": "group_psychotherapy", "code": "H0005", "credentials": ["CADC", "LCADC"]}
    ]


def test_crosswalk_errors_land_on_their_row(web, plan):
    payer, _first = plan
    data = form_data(**{"crosswalk-1-service_type": "case_management", "crosswalk-1-code": "T9999"})

    response = web("practice_admin").post(reverse("payers:rule_set_create", args=[payer.pk]), data)

    assert response.status_code == 400
    rows = response.context["forms"].formsets["crosswalk"].forms
    assert rows[1].errors == {"code": ["T9999 is not a CPT or HCPCS code in the code set."]}


def test_crosswalk_offers_only_single_code_services(web, plan):
    payer, _first = plan
    response = web("practice_admin").get(reverse("payers:rule_set_create", args=[payer.pk]))
    choices = dict(response.context["forms"].formsets["crosswalk"].forms[0].fields["service_type"].choices)
    assert choices["case_management"] == "Case management"
    assert "individual_psychotherapy" not in choices


def test_summary_shows_the_crosswalk_and_the_national_scope(web, plan):
    payer, rule_set = plan
    response = web("biller").get(reverse("payers:rule_set_detail", args=[payer.pk, rule_set.pk]))
    groups = {g.title: g.items for g in response.context["groups"]}
    assert groups["Crosswalk"] == ("Case management is billed as T1017.",)
    scope = groups["Scope of practice (national defaults)"]
    assert scope[0].startswith("Psychotherapy (90785, 90832, 90834, 90837, 90839, 90840")
    assert scope[0].endswith(": licensed clinicians.")
    assert "Peer support (H0038): peers." in scope


def try_it(web, plan, **changes):
    payer, rule_set = plan
    query = {
        "try-service_type": "individual_psychotherapy",
        "try-minutes": "45",
        "try-credential": "",
        "try-place_of_service": "11",
        "try-date_of_service": "2026-03-02",
    } | {f"try-{k}": v for k, v in changes.items()}
    return web("biller").get(reverse("payers:rule_set_detail", args=[payer.pk, rule_set.pk]), query)


@pytest.mark.parametrize(
    ("credential", "problems"),
    [
        ("LCSW", []),
        ("BCBA", ["A BCBA may not render 90834 (psychotherapy)"]),
        (
            "LMSW",
            [
                "Keystone Community Care (rules from Mon 1 Jan 2024) does not pay 90834 rendered by an LMSW (its rule 1)."
            ],
        ),
    ],
)
def test_try_it_says_who_may_render_once_with_how_to_fix(web, plan, credential, problems):
    response = try_it(web, plan, credential=credential)
    result = response.context["result"]
    refusals = [p for p in result.problems if p.severity == "error"]
    assert [p.message.split(":")[0] if "may not" in p.message else p.message for p in refusals] == problems
    assert all(p.fix_hint for p in refusals)
    if problems:
        assert "How to fix:" in response.content.decode()


def test_try_it_shows_the_payers_crosswalk(web, plan):
    result = try_it(web, plan, service_type="case_management", minutes="23", credential="BHT").context[
        "result"
    ]
    assert [(line.code, line.units) for line in result.lines] == [("T1017", 2)]


def test_try_it_adds_96127_per_instrument(web, plan):
    result = try_it(web, plan, credential="LCSW", instruments="PHQ9, gad7").context["result"]
    assert [(line.code, line.units) for line in result.lines] == [("90834", 1), ("96127", 2)]
