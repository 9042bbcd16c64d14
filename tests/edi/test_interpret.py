"""edi.interpret and the eligibility pitfalls of the X12 layer (DOMAIN-rcm-pitfalls.md section 1)."""

from __future__ import annotations

from datetime import date

import pytest

from edi.interpret import Coverage, benefits_for, carve_out_administrator, coverage_on
from edi.x271 import parse_271
from tests.edi.samples import HEAD, REJECTIONS, SOURCE_ONLY, SUBSCRIBER_MH, wrap

DOS = date(2026, 3, 10)


def _entry(*segments: str):
    text = wrap(
        [
            *HEAD,
            "HL*3*2*22*0~",
            "TRN*2*ELG-000001*9PARITYEHR~",
            "NM1*IL*1*RIVERA*ANA****MI*SBX1001~",
            *segments,
        ]
    )
    (entry,) = parse_271(text).transactions
    return entry


def test_e1_carve_out_names_the_administrator_and_never_a_zero_copay():
    # given: MH active with no amounts, and the 2120 loop naming the behavioral-health administrator
    entry = _entry(
        "EB*1*IND*30~", "EB*B*IND*30***27*35~",
        "EB*1*IND*MH~", "LS*2120~", "NM1*PR*2*MAGELLAN SANDBOX*****PI*MBH01~", "LE*2120~",
    )  # fmt: skip

    # when
    administrator = carve_out_administrator(entry)
    answer = benefits_for(entry, ("MH",))

    # then
    assert administrator is not None
    assert (administrator.name, administrator.id) == ("MAGELLAN SANDBOX", "MBH01")
    assert [(b.eb01, b.amount) for b in answer.benefits] == [("1", None)]  # no co-pay for MH, not "$0"


def test_e1_no_carve_out_when_mh_amounts_are_there():
    entry = _entry(
        "EB*1*IND*MH~", "LS*2120~", "NM1*PR*2*MAGELLAN SANDBOX~", "LE*2120~", "EB*B*IND*MH***27*20~"
    )
    assert carve_out_administrator(entry) is None


def test_e1_no_carve_out_without_another_entity():
    assert carve_out_administrator(_entry("EB*1*IND*MH~")) is None


def test_e2_stc_30_fallback_is_labelled_and_not_taken_as_the_therapy_copay():
    # given: a 270 for MH; the 271 holds only STC 30 benefits
    entry = _entry("EB*1*IND*30~", "EB*B*IND*30***27*40~")

    # when
    answer = benefits_for(entry, ("MH",))

    # then
    assert answer.specific is False
    assert answer.label == "General plan coverage; benefits for service type MH were not returned."
    assert [(b.eb01, str(b.amount)) for b in answer.benefits] == [("1", "None"), ("B", "40.00")]


def test_e2_specific_answer_when_the_payer_returns_the_asked_type():
    # when
    answer = benefits_for(parse_271(SUBSCRIBER_MH).transactions[0], ("A6",))

    # then
    assert answer.specific is True
    assert answer.label == ""
    assert [b.eb01 for b in answer.benefits] == ["1", "B", "B", "F", "F"]


def test_e3_aaa_72_stays_a_rejection_with_its_hint_not_inactive():
    # given
    entry = _entry("AAA*N**72*C~")

    # when
    verdict = coverage_on(entry, DOS)

    # then
    assert verdict.coverage is Coverage.REJECTED
    assert verdict.reason.startswith(
        "The payer rejected the inquiry: 72 Invalid/missing subscriber/insured ID."
    )
    assert "member ID" in verdict.reason
    assert entry.active is None
    assert (entry.errors[0].loop, entry.errors[0].level, entry.errors[0].follow_up_action) == (
        "2100C", "subscriber", "C",
    )  # fmt: skip


def test_e4_aaa_42_is_payer_unavailable_not_inactive():
    # when
    (entry,) = parse_271(SOURCE_ONLY).transactions

    # then
    assert coverage_on(entry, DOS).coverage is Coverage.PAYER_UNAVAILABLE
    assert entry.active is None


def test_e4_a_transient_error_beside_a_permanent_one_is_a_rejection():
    (entry,) = parse_271(REJECTIONS).transactions
    assert coverage_on(entry, DOS).coverage is Coverage.REJECTED


@pytest.mark.parametrize(
    ("_case", "dates", "coverage"),
    [
        (
            "plan ends the day before the DOS",
            ["DTP*291*RD8*20250101-20260309~"],
            Coverage.NOT_COVERED_ON_DATE,
        ),
        ("plan ends on the DOS", ["DTP*291*RD8*20250101-20260310~"], Coverage.COVERED),
        ("plan begins the day after the DOS", ["DTP*346*D8*20260311~"], Coverage.NOT_COVERED_ON_DATE),
        ("plan begins on the DOS", ["DTP*346*D8*20260310~"], Coverage.COVERED),
        ("eligibility ended before the DOS", ["DTP*357*D8*20260228~"], Coverage.NOT_COVERED_ON_DATE),
        ("no dates", [], Coverage.COVERED),
    ],
)
def test_e8_coverage_must_hold_on_the_date_of_service(_case, dates, coverage):
    # given: EB01=1 for STC 30
    entry = _entry(*dates, "EB*1*IND*30~")

    # when / then
    assert coverage_on(entry, DOS).coverage is coverage


@pytest.mark.parametrize(
    ("eb01", "coverage"),
    [
        ("1", Coverage.COVERED),
        ("5", Coverage.AT_RISK),
        ("11", Coverage.AT_RISK),
        ("6", Coverage.INACTIVE),
        ("B", Coverage.UNKNOWN),
    ],
)
def test_e8_premium_grace_and_pending_are_at_risk_not_plain_active(eb01, coverage):
    assert coverage_on(_entry(f"EB*{eb01}*IND*30~"), DOS).coverage is coverage


def test_e11_auth_required_is_flagged_on_the_mh_benefit():
    # when
    entry = _entry("EB*1*IND*MH********Y*Y~", "EB*B*IND*MH***27*20*****Y~")

    # then
    assert [(b.eb01, b.auth_required) for b in benefits_for(entry, ("MH",)).benefits] == [
        ("1", True),
        ("B", None),
    ]


@pytest.mark.parametrize("code", ["41", "50", "51"])
def test_e9_provider_rejections_name_enrollment_as_the_likely_cause(code):
    # given
    text = wrap([*HEAD[:4], "NM1*1P*2*CALM WATERS COUNSELING*****XX*1234567893~", f"AAA*N**{code}*N~"])

    # when
    (entry,) = parse_271(text).transactions

    # then
    (error,) = entry.errors
    assert (error.level, error.loop) == ("information_receiver", "2100B")
    assert error.message.endswith("The provider may need to enroll with this payer for eligibility checks.")
    assert coverage_on(entry, DOS).coverage is Coverage.REJECTED
