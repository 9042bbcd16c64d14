"""claims.domain.cob, table-driven (pure): the COB edits (C1, C2, C3, C4), crossover (R15), the
secondary's deadline (D2), what a replacement carries (C17) and who takes corrections (C7)."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.domain.cob import (
    CasRow,
    ClaimLineFacts,
    PriorLine,
    PriorPayer,
    cob_problems,
    crossover,
    insurance_type,
    line_adjudications,
    other_payer,
    replacement_line_problems,
    replacements_allowed,
    secondary_filing_deadline,
)

ON = dt.date(2026, 4, 2)
LINES = [ClaimLineFacts(1, 15000), ClaimLineFacts(2, 12000)]
GOOD_LINES = (
    PriorLine(
        1, 15000, 9000, (CasRow("CO", "45", 2000), CasRow("PR", "1", 3000), CasRow("PR", "2", 1000)), ON
    ),
    PriorLine(2, 12000, 12000, (), ON),
)


def prior(**overrides: object) -> PriorPayer:
    values: dict[str, object] = {
        "name": "Sandbox Health",
        "payer_id": "SBXPAYER",
        "responsibility": "P",
        "kind": "commercial",
        "claim_filing": "CI",
        "member_id": "SBX1001",
        "group_number": "GRP1",
        "subscriber_last_name": "Rivera",
        "subscriber_first_name": "Ana",
        "relationship": "18",
        "claim_control_number": "ABC123",
        "claim_status_code": "2",
        "charge_cents": 27000,
        "paid_cents": 21000,
        "patient_responsibility_cents": 4000,
        "adjudicated_on": ON,
        "lines": GOOD_LINES,
    }
    values.update(overrides)
    return PriorPayer(**values)  # type: ignore[arg-type]


def problems(*priors: PriorPayer, kind: str = "commercial", sbr05: str = "") -> list[str]:
    found = cob_problems(LINES, list(priors), responsibility="S", payer_kind=kind, insurance_type_value=sbr05)
    return [p.field for p in found]


def line1(*adjustments: CasRow, paid: int = 9000, on: dt.date | None = ON) -> tuple[PriorLine, ...]:
    return (PriorLine(1, 15000, paid, adjustments, on), GOOD_LINES[1])


@pytest.mark.parametrize(
    ("label", "value", "expected"),
    [
        ("clean", prior(), []),
        ("C2 no CLP07", prior(claim_control_number=""), ["2320/2330B (Sandbox Health) REF*F8"]),
        (
            "C1 bad group",
            prior(lines=line1(CasRow("OI", "45", 2000), CasRow("PR", "1", 4000))),
            ["2430 line 1 (Sandbox Health) CAS01"],
        ),
        (
            "C4 reason without amount",
            prior(lines=line1(CasRow("CO", "45", 0), CasRow("PR", "1", 6000))),
            ["2430 line 1 (Sandbox Health) CAS03"],
        ),
        (
            "C4 amount without reason",
            prior(lines=line1(CasRow("CO", "", 2000), CasRow("PR", "1", 4000))),
            ["2430 line 1 (Sandbox Health) CAS02"],
        ),
        (
            "C4 negative paid",
            prior(paid_cents=11900, lines=line1(CasRow("CO", "45", 15100), paid=-100)),
            ["2430 line 1 (Sandbox Health) SVD02"],
        ),
        (
            "C4 no adjudication date",
            prior(adjudicated_on=None, lines=line1(CasRow("CO", "45", 6000), on=None)),
            ["2430 line 1 (Sandbox Health) DTP*573"],
        ),
        (
            "C1 unbalanced line",
            prior(lines=line1(CasRow("CO", "45", 2000))),
            ["2430 line 1 (Sandbox Health) SVD02"],
        ),
        (
            "C1 more than 6 reasons in a group",
            prior(
                paid_cents=15000 - 7 * 857 + 12000,
                lines=line1(*(CasRow("CO", str(40 + i), 857) for i in range(7)), paid=15000 - 7 * 857),
            ),
            ["2430 line 1 (Sandbox Health) CAS"],
        ),
        (
            "a line the payer did not decide",
            prior(lines=GOOD_LINES[:1]),
            ["2430 line 2 (Sandbox Health) SVD"],
        ),
        ("claim paid differs from its lines", prior(paid_cents=20000), ["2320 AMT*D (Sandbox Health)"]),
    ],
)
def test_cob_edits_name_the_loop_and_element(label, value, expected):
    assert problems(value) == expected, label


@pytest.mark.parametrize(
    ("responsibility", "kind", "msp", "sent", "problem"),
    [
        ("P", "medicare", "12", "", False),  # C3: never on a primary
        ("S", "commercial", "12", "", False),  # only Medicare
        ("S", "medicare", "12", "12", False),
        ("S", "medicare", "", "", True),  # required: blank is refused
        ("T", "medicare", "47", "47", False),
    ],
)
def test_c3_sbr05_only_for_medicare_as_a_later_payer(responsibility, kind, msp, sent, problem):
    value = insurance_type(responsibility, kind, msp)
    assert value == sent
    found = cob_problems(
        LINES, [prior()], responsibility=responsibility, payer_kind=kind, insurance_type_value=value
    )
    assert any(p.field == "2000B SBR05" for p in found) is problem


def test_the_837_values_group_cas_by_payer_and_balance():  # C1
    other = other_payer(prior())
    assert (other.claim_control_number, other.responsibility, other.insurance_type) == ("ABC123", "P", "")
    (adjudication,) = line_adjudications(1, [prior()])
    assert adjudication.payer_id == "SBXPAYER"
    assert adjudication.paid + sum(a.amount for a in adjudication.adjustments) == 150
    assert adjudication.adjudicated == ON


@pytest.mark.parametrize(
    ("status", "carrier", "remarks", "expected"),
    [
        ("19", "", (), "CLP02 19"),
        ("20", "", (), "CLP02 20"),
        ("21", "", (), "CLP02 21"),
        ("1", "MEDIGAP PLAN", (), "NM1*TT crossover carrier"),
        ("1", "", ("MA18",), "remark MA18"),
        ("2", "", ("N89",), "remark N89"),
        ("1", "", ("N130",), None),
        ("22", "", (), None),
        ("4", "", (), None),
    ],
)
def test_r15_crossover(status, carrier, remarks, expected):
    found = crossover(status, carrier_name=carrier, remark_codes=remarks)
    assert (found.reason if found else None) == expected
    if carrier:
        assert found is not None
        assert found.label == "Crossed over to MEDIGAP PLAN"


@pytest.mark.parametrize(
    ("days", "from_adjudication", "expected"),
    [
        (90, False, dt.date(2026, 6, 7)),
        (90, True, dt.date(2026, 7, 1)),
        (None, True, None),
    ],
)
def test_d2_secondary_deadline(days, from_adjudication, expected):
    assert (
        secondary_filing_deadline(dt.date(2026, 3, 9), ON, days, from_adjudication=from_adjudication)
        == expected
    )


@pytest.mark.parametrize(
    ("chosen", "partial", "code"),
    [
        (None, False, None),
        ([1, 2, 3], False, None),
        ([2], False, "replacement_all_lines"),
        ([2], True, None),
        ([], True, "replacement_no_lines"),
        ([4], True, "replacement_line_unknown"),
    ],
)
def test_c17_replacement_lines(chosen, partial, code):
    found = replacement_line_problems([1, 2, 3], chosen, partial_allowed=partial)
    assert (found[0].code if found else None) == code


@pytest.mark.parametrize(
    ("setting", "kind", "allowed"),
    [
        (None, "commercial", True),
        (None, "medicare", False),
        (True, "medicare", True),
        (False, "medicaid", False),
    ],
)
def test_c7_who_takes_corrections(setting, kind, allowed):
    assert replacements_allowed(setting, kind) is allowed
