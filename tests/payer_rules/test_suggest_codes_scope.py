"""`suggest_codes --payer` applies the payer's who-may-render rules, as "try it" and the scrubber
do (one rule), and its JSON keeps its shape (lines, problems, why)."""

from __future__ import annotations

from datetime import date

import pytest

from payer_rules.demo_rules import MEDICARE
from tests.factories import PayerFactory
from tests.factories.authorizations import PayerRuleSetFactory
from tests.payer_rules.test_suggest_codes import suggest

pytestmark = pytest.mark.django_db


@pytest.fixture
def medicare():
    payer = PayerFactory(payer_id="MCR01", kind="medicare", name="Medicare Part B")
    for version in MEDICARE:
        PayerRuleSetFactory(
            payer=payer,
            effective_from=version.effective_from,
            effective_to=version.effective_to,
            rules=version.rules,
        )
    return payer


def refusals(output: dict) -> list[str]:
    return [p["message"] for p in output["problems"] if p["code"] == "credential_cannot_render"]


@pytest.mark.parametrize(
    ("credential", "day", "refused"),
    [
        ("LPC", "2023-12-31", True),
        ("LPC", "2024-01-01", False),
        ("LMFT", "2023-06-01", True),
        ("LMFT", "2026-03-02", False),
        ("LMSW", "2026-03-02", True),
        ("LCSW", "2023-06-01", False),
    ],
)
def test_medicare_rule_versions(medicare, credential, day, refused):
    # when
    output = suggest(
        "--service", "individual_psychotherapy", "--minutes", "45", "--credential", credential,
        "--payer", "MCR01", "--date", day,
    )  # fmt: skip

    # then: the same lines either way; the refusal is a problem, in the unchanged JSON shape
    assert set(output) == {"lines", "problems", "why"}
    assert [line["code"] for line in output["lines"]] == ["90834"]
    assert bool(refusals(output)) is refused
    assert all(set(p) == {"code", "severity", "message"} for p in output["problems"])


def test_medicare_kind_defaults_refuse_an_lmsw():
    PayerFactory(payer_id="MCR02", kind="medicare", name="Medicare Part B")
    output = suggest(
        "--service", "individual_psychotherapy", "--minutes", "45", "--credential", "LMSW",
        "--payer", "MCR02", "--date", "2026-03-02",
    )  # fmt: skip
    assert refusals(output) == [
        "Medicare Part B (medicare defaults) pays only the credentials its rules list, and an LMSW is not "
        "among them for 90834."
    ]


def test_national_scope_without_a_payer():
    output = suggest(
        "--service", "individual_psychotherapy", "--minutes", "45", "--credential", "BCBA", "--date", "2026-03-02"
    )  # fmt: skip
    assert [p["severity"] for p in output["problems"]] == ["error"]
    assert refusals(output)[0].startswith("A BCBA may not render 90834 (psychotherapy)")


def test_medicaid_case_management_by_a_technician_is_in_scope():
    PayerFactory(payer_id="MCD01", kind="medicaid", name="State Medicaid")
    output = suggest(
        "--service", "case_management", "--minutes", "23", "--credential", "BHT", "--payer", "MCD01",
        "--date", str(date(2026, 3, 2)),
    )  # fmt: skip
    assert output["lines"] == [{"code": "T1016", "units": 2, "modifiers": ["HM"], "pos": "11"}]
    assert output["problems"] == []


@pytest.mark.parametrize(
    ("instruments", "lines"),
    [((), [["90834", 1]]), (("PHQ9",), [["90834", 1], ["96127", 1]]), (("phq9", "GAD7", "ORS"), [["90834", 1], ["96127", 2]])],
)  # fmt: skip
def test_instruments_add_96127(instruments, lines):
    args = [arg for name in instruments for arg in ("--instrument", name)]
    output = suggest(
        "--service", "individual_psychotherapy", "--minutes", "45", "--credential", "LPC",
        "--date", "2026-03-02", *args,
    )  # fmt: skip
    assert [[line["code"], line["units"]] for line in output["lines"]] == lines
    assert output["problems"] == []
