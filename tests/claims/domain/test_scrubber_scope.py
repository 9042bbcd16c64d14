"""The scrubber asks the one who-may-render rule (the national table as the payer narrows or widens
it): a BCBA's or a CADC's psychotherapy is held, with why and how to fix."""

from __future__ import annotations

from dataclasses import replace

import pytest

from claims.domain.scrubber import ScrubCode as S
from claims.domain.scrubber import scrub
from payer_rules.domain.policy import PayerPolicy, RenderingBilling, RenderingRule
from tests.claims.domain.test_scrubber import BCBA, LPC, claim, line, policy

CADC = replace(LPC, provider_id=14, name="Cam Diaz", credential="CADC", level_modifier="HN")
LMSW = replace(LPC, provider_id=15, name="Lu Ma", credential="LMSW", level_modifier="HO")
CADC_90834 = policy(rendering=(RenderingRule(credentials=("CADC",), codes=("90834",)),))
NO_LMSW = policy(rendering=(RenderingRule(credentials=("LMSW",), billing=RenderingBilling.NOT_ALLOWED),))


def refusals(rendering, payer: PayerPolicy, code: str = "90834") -> list[str]:
    found = scrub(claim(rendering=rendering, policy=payer, lines=(line(code),)))
    return [p.message for p in found if p.code == S.CREDENTIAL_CANNOT_RENDER]


@pytest.mark.parametrize(
    ("_case", "rendering", "payer", "expected"),
    [
        ("LPC psychotherapy", LPC, policy(), []),
        ("LMSW psychotherapy", LMSW, policy(), []),
        ("BCBA psychotherapy", BCBA, policy(), ["A BCBA may not render 90834 (psychotherapy)"]),
        ("CADC psychotherapy", CADC, policy(), ["A CADC may not render 90834 (psychotherapy)"]),
        ("CADC psychotherapy, payer names it", CADC, CADC_90834, []),
        ("LMSW, payer refuses", LMSW, NO_LMSW, ["Acme does not pay 90834 rendered by an LMSW (its rule 1)."]),
    ],
)  # fmt: skip
def test_who_may_render(_case, rendering, payer, expected):
    assert [m.split(":")[0] for m in refusals(rendering, payer)] == expected


def test_refusal_has_a_fix_hint():
    found = [p for p in scrub(claim(rendering=BCBA)) if p.code == S.CREDENTIAL_CANNOT_RENDER]
    assert [p.field for p in found] == ["lines[0].code"]
    assert found[0].fix_hint.startswith("Have a licensed clinician provide and bill the session")
