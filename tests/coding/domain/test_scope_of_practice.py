"""Scope of practice: the national table at each family's edge, and a payer narrowing or widening it."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from coding.domain.scope_of_practice import (
    ScopeSource,
    a_credential,
    parse_scope_table,
    scope_decision,
    scope_table,
)
from coding.domain.types import PayerScope, PayerScopeRule
from practice.domain.credentials import Credential

ALL = frozenset(c.value for c in Credential)


# ---- the national table ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "credential", "allowed"),
    [
        # psychotherapy: licensed or license-eligible clinicians
        ("90834", "LCSW", True),
        ("90834", "LMSW", True),
        ("90834", "LPC", True),
        ("90834", "LPCC", True),
        ("90834", "LMFT", True),
        ("90834", "PhD/PsyD", True),
        ("90834", "MD/DO", True),
        ("90834", "PMHNP", True),
        ("90834", "PA", True),
        ("90837", "BCBA", False),
        ("90837", "BCBA-D", False),
        ("90832", "CADC", False),
        ("90832", "LCADC", False),
        ("90853", "CPRS", False),
        ("90847", "RBT", False),
        ("90839", "BHT", False),
        # psychotherapy with an E/M, E/M itself, 90792: prescribers
        ("90836", "PMHNP", True),
        ("90836", "PhD/PsyD", False),
        ("99214", "PA", True),
        ("99214", "LCSW", False),
        ("90792", "MD/DO", True),
        ("90792", "PhD/PsyD", False),
        ("90791", "LMSW", True),
        ("90791", "BCBA", False),
        # ABA: professional codes vs technician codes
        ("97151", "BCBA", True),
        ("97155", "BCaBA", True),
        ("97156", "BCBA-D", True),
        ("97158", "PhD/PsyD", True),
        ("97155", "RBT", False),
        ("97156", "BHT", False),
        ("97151", "LPC", False),
        ("97153", "RBT", True),
        ("97153", "BHT", True),
        ("97154", "BCaBA", True),
        ("97153", "BCBA", True),
        ("97153", "LCSW", False),
        ("97153", "CPRS", False),
        # peer support, SUD counseling, case management, rehabilitation
        ("H0038", "CPRS", True),
        ("H0038", "LCSW", False),
        ("H0004", "CADC", True),
        ("H0004", "LCADC", True),
        ("H0004", "LPC", True),
        ("H0004", "BHT", False),
        ("H0005", "CADC", True),
        ("H0005", "CPRS", False),
        ("T1016", "BHT", True),
        ("T1017", "LCSW", True),
        ("T1016", "CPRS", False),
        ("T1016", "RBT", False),
        ("H2019", "RBT", True),
        ("H2014", "BHT", True),
        ("H2017", "CPRS", False),
        # 96127: any clinician, not technicians or peers
        ("96127", "LPC", True),
        ("96127", "CADC", True),
        ("96127", "BCBA", True),
        ("96127", "RBT", False),
        ("96127", "CPRS", False),
    ],
)
def test_national_table(code, credential, allowed):
    # when
    decision = scope_decision(credential=credential, code=code)

    # then
    assert (decision.allowed, decision.source) == (allowed, ScopeSource.NATIONAL)
    if allowed:
        assert (decision.message, decision.fix_hint) == ("", "")
    else:  # a refusal says why and how to fix, in plain words
        assert decision.message.startswith(
            f"{a_credential(credential)[:1].upper()}{a_credential(credential)[1:]}"
        )
        assert code in decision.message
        assert decision.fix_hint


def test_refusal_reads_plainly():
    # when
    decision = scope_decision(credential="BCBA", code="90837")

    # then
    assert decision.message == (
        "A BCBA may not render 90837 (psychotherapy): psychotherapy needs a licensed or license-eligible "
        "clinician (LCSW, LMSW under supervision, LPC, LPCC, LMFT, psychologist, psychiatrist, PMHNP, PA)."
    )
    assert decision.fix_hint.startswith("Have a licensed clinician provide and bill the session")


@pytest.mark.parametrize(
    ("credential", "article"), [("RBT", "an"), ("LCSW", "an"), ("BHT", "a"), ("PA", "a")]
)
def test_article(credential, article):
    assert a_credential(credential) == f"{article} {credential}"


def test_code_in_no_family_is_unrestricted_and_no_credential_is_not_checked():
    assert scope_decision(credential="RBT", code="90882").source is ScopeSource.UNRESTRICTED
    assert scope_decision(credential="RBT", code="90882").allowed
    unchecked = scope_decision(credential=" ", code="90837")
    assert (unchecked.allowed, unchecked.source) == (True, ScopeSource.NOT_CHECKED)


def test_every_credential_can_render_something_and_groups_use_known_credentials():
    table = scope_table()
    covered = set().union(*(f.credentials for f in table.families))
    assert covered == ALL
    assert set().union(*table.groups.values()) <= ALL


# ---- a payer narrows or widens -----------------------------------------------------------------------


def rules(*items: tuple[set[str], set[str], bool], unlisted: bool = True) -> PayerScope:
    return PayerScope(
        rules=tuple(
            PayerScopeRule(credentials=frozenset(c), codes=frozenset(k), allowed=a) for c, k, a in items
        ),
        unlisted_allowed=unlisted,
    )


@pytest.mark.parametrize(
    ("_case", "payer", "credential", "code", "allowed", "source"),
    [
        ("no rule: national", rules(), "LCSW", "90834", True, ScopeSource.NATIONAL),
        ("narrows any code", rules(({"LMSW"}, set(), False)), "LMSW", "90834", False, ScopeSource.PAYER_NARROWS),
        ("narrows one code", rules(({"LMSW"}, {"90837"}, False)), "LMSW", "90837", False, ScopeSource.PAYER_NARROWS),
        ("narrowing another code leaves this one", rules(({"LMSW"}, {"90837"}, False)), "LMSW", "90834", True, ScopeSource.NATIONAL),
        ("narrowing another credential leaves this one", rules(({"LMSW"}, set(), False)), "LCSW", "90834", True, ScopeSource.NATIONAL),
        ("widens a named code", rules(({"CADC"}, {"90834"}, True)), "CADC", "90834", True, ScopeSource.PAYER_WIDENS),
        ("a rule for any code does not widen", rules(({"CADC"}, set(), True)), "CADC", "90834", False, ScopeSource.NATIONAL),
        ("widening in scope stays national", rules(({"LPC"}, {"90834"}, True)), "LPC", "90834", True, ScopeSource.NATIONAL),
        ("first match wins: narrow first", rules(({"CADC"}, set(), False), ({"CADC"}, {"H0004"}, True)), "CADC", "H0004", False, ScopeSource.PAYER_NARROWS),
        ("first match wins: widen first", rules(({"BHT"}, {"H0004"}, True), ({"BHT"}, set(), False)), "BHT", "H0004", True, ScopeSource.PAYER_WIDENS),
        ("only listed: unlisted refused", rules(({"LCSW"}, set(), True), unlisted=False), "LMSW", "90834", False, ScopeSource.PAYER_UNLISTED),
        ("only listed: listed, national decides", rules(({"LCSW"}, set(), True), unlisted=False), "LCSW", "90834", True, ScopeSource.NATIONAL),
        ("only listed: listed, out of national scope", rules(({"LCSW"}, set(), True), unlisted=False), "LCSW", "97153", False, ScopeSource.NATIONAL),
    ],
)  # fmt: skip
def test_payer_narrows_or_widens(_case, payer, credential, code, allowed, source):
    # when
    decision = scope_decision(credential=credential, code=code, payer=payer, payer_label="Acme")

    # then
    assert (decision.allowed, decision.source) == (allowed, source)
    if source is ScopeSource.PAYER_NARROWS:
        assert (
            decision.message
            == f"Acme does not pay {code} rendered by {a_credential(credential)} (its rule 1)."
        )
        assert decision.rule_index == 0


# ---- the data file is checked ------------------------------------------------------------------------


def raw_table() -> dict:
    return json.loads(resources.files("coding.data").joinpath("scope_of_practice.json").read_text())


@pytest.mark.parametrize(
    ("_case", "change", "message"),
    [
        ("a code in two families", lambda r: r["families"][1]["codes"].append("90834"), "90834 is in both"),
        ("an unknown credential in a group", lambda r: r["groups"]["peers"].append("CPSS"), r"unknown credential\(s\) CPSS"),
        ("an unknown group in a family", lambda r: r["families"][0]["who"].append("counselors"), "'counselors'"),
        ("a family without codes", lambda r: r["families"][0].update(codes=[]), "needs a key, codes and who"),
    ],
)  # fmt: skip
def test_bad_table_is_refused(_case, change, message):
    raw = raw_table()
    change(raw)
    with pytest.raises(ValueError, match=message):
        parse_scope_table(raw, credentials=ALL)
