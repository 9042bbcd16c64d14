"""edi.check270: each implementation-guide rule catches a 270 broken in that one way."""

from __future__ import annotations

import pytest

from edi.check270 import check_270
from edi.x270 import build_270
from tests.edi.samples import CHILD, envelope, request

GOOD = build_270(request(), envelope(), line_breaks=True)
GOOD_DEPENDENT = build_270(request(dependent=CHILD), envelope(), line_breaks=True)


def _break(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def _codes(text: str) -> list[str]:
    return [problem.code for problem in check_270(text)]


def test_generated_270s_pass():
    assert check_270(GOOD) == []
    assert check_270(GOOD_DEPENDENT) == []


@pytest.mark.parametrize(
    ("_case", "text", "codes"),
    [
        ("SE count off by one", _break(GOOD, "SE*13*", "SE*14*"), ["x12_syntax"]),
        ("IEA control number differs", _break(GOOD, "IEA*1*000000017", "IEA*1*000000018"), ["x12_syntax"]),
        (
            "ISA13 not 9 digits",
            _break(_break(GOOD, "*000000017*0*T", "*00000017A*0*T"), "IEA*1*000000017", "IEA*1*00000017A"),
            ["isa13"],
        ),
        ("ISA12 version", _break(GOOD, "*00501*", "*00401*"), ["isa12"]),
        ("ISA06 not padded", _break(GOOD, "*PARITY         *", "*PARITY*"), ["isa_ids"]),
        ("usage indicator", _break(GOOD, "*0*T*:~", "*0*X*:~"), ["isa15"]),
        ("GS01 not HS", _break(GOOD, "GS*HS*", "GS*HB*"), ["gs01"]),
        ("GS08 version", _break(GOOD, "*X*005010X279A1~", "*X*005010X279~"), ["gs08"]),
        ("ST03 version", _break(GOOD, "ST*270*0001*005010X279A1", "ST*270*0001*005010X279"), ["st03"]),
        ("not a 270", _break(GOOD, "ST*270*", "ST*271*"), ["st01"]),
        ("BHT01", _break(GOOD, "BHT*0022*", "BHT*0019*"), ["bht01"]),
        ("BHT02 is a response code", _break(GOOD, "BHT*0022*13*", "BHT*0022*11*"), ["bht02"]),
        ("BHT date", _break(GOOD, "*20260301*0930~\nHL", "*20260231*0930~\nHL"), ["bht04"]),
        ("HL ids skip", _break(GOOD, "HL*3*2*22*0", "HL*4*2*22*0"), ["hl01_sequence"]),
        ("HL parent points to the wrong level", _break(GOOD, "HL*3*2*22*0", "HL*3*1*22*0"), ["hl02", "hl04"]),
        ("source with a parent", _break(GOOD, "HL*1**20*1", "HL*1*1*20*1"), ["hl02"]),
        ("HL04 says no children but there are", _break(GOOD, "HL*2*1*21*1", "HL*2*1*21*0"), ["hl04"]),
        ("HL04 says children but there are none", _break(GOOD, "HL*3*2*22*0", "HL*3*2*22*1"), ["hl04"]),
        (
            "unknown level",
            _break(GOOD, "HL*3*2*22*0", "HL*3*2*24*0"),
            ["hl03", "hl04", "hl_level_missing", "nm101", "misplaced"],
        ),
        ("payer NM1 entity", _break(GOOD, "NM1*PR*2", "NM1*IL*2"), ["nm101"]),
        ("payer without id", _break(GOOD, "*****PI*SBXPAYER", ""), ["nm108"]),
        ("NPI not 10 digits", _break(GOOD, "*XX*1234567893", "*XX*123456789"), ["npi"]),
        ("subscriber without member id", _break(GOOD, "****MI*SBX1001", ""), ["member_id"]),
        ("no TRN", _break(GOOD, "TRN*1*ELG-000001*9PARITYEHR~\n", ""), ["trn"]),
        ("TRN originator length", _break(GOOD, "*9PARITYEHR", "*9PARITY"), ["trn_values"]),
        ("no EQ", _break(GOOD, "EQ*MH~\n", "DTP*291*D8*20260311~\n"), ["eq_missing"]),
        ("unknown EQ code", _break(GOOD, "EQ*MH~", "EQ*QQ~"), ["eq01"]),
        ("DTP qualifier", _break(GOOD, "DTP*291*", "DTP*472*"), ["dtp01"]),
        ("DTP date", _break(GOOD, "DTP*291*D8*20260310", "DTP*291*D8*20261310"), ["dtp03"]),
        ("DMG gender", _break(GOOD, "DMG*D8*19850402*F", "DMG*D8*19850402*X"), ["dmg03"]),
        (
            "two NM1 in a level",
            _break(GOOD, "DMG*D8", "NM1*IL*1*RIVERA*ANA****MI*SBX1001~\nDMG*D8"),
            ["nm1_count"],
        ),
        (
            "EQ in the subscriber level when a dependent is the patient",
            _break(GOOD_DEPENDENT, "HL*4*3*23*0~", "EQ*30~\nHL*4*3*23*0~"),
            ["eq_misplaced"],
        ),
        (
            "dependent with a member id",
            _break(GOOD_DEPENDENT, "NM1*03*1*RIVERA*LEO", "NM1*03*1*RIVERA*LEO****MI*X1"),
            ["dependent_id"],
        ),
        ("EQ at the receiver level", _break(GOOD, "HL*3*2*22*0", "EQ*30~\nHL*3*2*22*0"), ["misplaced"]),
    ],
)
def test_each_rule_catches_its_break(_case, text, codes):
    # given: the SE count is fixed up so that only the intended rule breaks
    lines = text.splitlines()
    st = next(i for i, line in enumerate(lines) if line.startswith("ST*"))
    se = next(i for i, line in enumerate(lines) if line.startswith("SE*"))
    if codes != ["x12_syntax"]:
        lines[se] = f"SE*{se - st + 1}*{lines[se].split('*')[2]}"
    fixed = "\n".join(lines) + "\n"

    # when
    found = _codes(fixed)

    # then
    assert found == codes


def test_a_syntax_problem_names_segment_and_position():
    # when
    (problem,) = check_270(_break(GOOD, "SE*13*", "SE*12*"))

    # then
    assert problem.code == "x12_syntax"
    assert problem.message == (
        f"segment 15 (SE01) at character {GOOD.index('SE*')}: counts 12 segments (ST to SE), the file holds 13"
    )
