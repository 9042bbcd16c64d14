"""Issue 8's scrubber checks, one table per check at its edges (no database).

Same-day conflicts (item 4), codes Medicare does not pay (item 5), telehealth modifiers and
POS 02/10 (item 6), the line's POS against the note's (item 7), and every finding at once
(item 13). Builds on `test_scrubber.claim()`: a clean commercial claim for 45 minutes of
psychotherapy (90834) by an enrolled, licensed LPC on 2026-03-09.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from claims.domain.scrubber import scrub
from claims.domain.scrubber.medicare import parse_not_payable
from claims.domain.types import ClaimToBe, CoverageFacts, LineFacts, NoteFacts, PriorLine
from coding.domain.types import TelehealthPos
from core.domain.problems import Severity
from payer_rules.domain.policy import RenderingBilling, RenderingRule
from payer_rules.domain.same_day import (
    SameDayRule,
    SameDaySeverity,
    default_same_day_rules,
    merged_rules,
    parse_rules,
)
from tests.claims.domain.test_scrubber import DOS, LPC, claim, codes, line, policy

OTHER_PROVIDER = 99


def found(claim_to_be: ClaimToBe, code: str) -> list[tuple[str, str]]:
    """(severity, field) of the findings with `code`."""
    return [(str(p.severity), p.field) for p in scrub(claim_to_be) if p.code == code]


def prior(code: str, *, on: date = DOS, provider: int | None = LPC.provider_id) -> PriorLine:
    return PriorLine(
        source="captured",
        reference="note 3",
        date_of_service=on,
        code=code,
        rendering_provider_id=provider,
    )


def coverage(kind: str) -> CoverageFacts:
    return CoverageFacts(
        coverage_id=3,
        payer_id=4,
        payer_name="Plan",
        member_id="MBR12345",
        effective_on=date(2025, 1, 1),
        payer_kind=kind,
    )


def lines(*items: str | LineFacts) -> tuple[LineFacts, ...]:
    return tuple(
        replace(item, line_number=n) if isinstance(item, LineFacts) else line(item, line_number=n)
        for n, item in enumerate(items, start=1)
    )


# ---- item 4: same-day conflicts ------------------------------------------------------------------

E, W = "error", "warning"


@pytest.mark.parametrize(
    ("_case", "changes", "expected"),
    [
        ("psychotherapy alone", {}, []),
        ("crisis with psychotherapy on this claim", {"lines": lines("90839", "90834")}, [(E, "lines[0].code")]),
        ("crisis add-on with 90837", {"lines": lines("90837", "90840")}, [(E, "lines[0].code")]),
        ("crisis with the 90838 add-on: the add-on rules report it", {"lines": lines("90839", "90838")}, []),
        ("crisis with a diagnostic evaluation", {"lines": lines("90791", "90839")}, [(E, "lines[0].code")]),
        ("crisis and 90792", {"lines": lines("90839", "90792")}, [(E, "lines[0].code")]),
        ("crisis with +90785: the add-on rules report it, not twice", {"lines": lines("90839", "90785")}, []),
        ("crisis today by the same provider, other note", {"lines": lines("90834"), "prior_lines": (prior("90839"),)}, [(E, "lines[0].code")]),
        ("crisis the day before", {"lines": lines("90834"), "prior_lines": (prior("90839", on=date(2026, 3, 8)),)}, []),
        ("crisis today by another provider", {"lines": lines("90834"), "prior_lines": (prior("90839", provider=OTHER_PROVIDER),)}, []),
        ("an E/M with 90792", {"lines": lines("99213", "90792")}, [(E, "lines[0].code")]),
        ("an E/M with 90791", {"lines": lines("99205", "90791")}, [(E, "lines[0].code")]),
        ("an E/M with its psychotherapy add-on", {"lines": lines("99214", "90836")}, []),
        ("90791 with psychotherapy: a warning by default", {"lines": lines("90791", "90834")}, [(W, "lines[0].code")]),
        ("90792 with 90833", {"lines": lines("90792", "90833")}, [(W, "lines[0].code")]),
        ("90791 with family psychotherapy: not in the table", {"lines": lines("90791", "90847")}, []),
        ("a dropped line (0 units) does not conflict", {"lines": lines("90839", line("90834", units=0))}, []),
    ],
)  # fmt: skip
def test_same_day_conflicts_by_default(_case, changes, expected):
    assert found(claim(**changes), "same_day_conflict") == expected


@pytest.mark.parametrize(
    ("_case", "overrides", "prior_lines", "expected"),
    [
        ("made an error", ({"rule": "diagnostic_evaluation_with_psychotherapy", "severity": "error"},), (), [(E, "lines[0].code")]),
        ("turned off", ({"rule": "diagnostic_evaluation_with_psychotherapy", "severity": "off"},), (), []),
        ("for any provider", ({"rule": "diagnostic_evaluation_with_psychotherapy", "same_provider": False},), (prior("90791", provider=OTHER_PROVIDER),), [(E, "lines[0].code")]),
        ("narrowed to 90837 only", ({"rule": "diagnostic_evaluation_with_psychotherapy", "with_codes": ["90837"]},), (), []),
        ("a payer's own pair", ({"rule": "psychotherapy_with_group", "codes": ["90834"], "with_codes": ["90853"], "severity": "warning"},), (prior("90853"),), [(W, "lines[0].code")]),
    ],
)  # fmt: skip
def test_a_payer_overrides_or_adds_same_day_rules(_case, overrides, prior_lines, expected):
    # given: 90834 (this claim) next to 90791 on this claim or the date's other lines
    rules = tuple(SameDayRule(**o) for o in overrides)
    this_claim = lines("90834", "90791") if not prior_lines else lines("90834")
    # when
    result = found(
        claim(policy=policy(same_day=rules), lines=this_claim, prior_lines=prior_lines), "same_day_conflict"
    )
    # then
    assert result == expected


def test_the_finding_says_why_in_plain_words_with_a_fix():
    problem = next(p for p in scrub(claim(lines=lines("90839", "90834"))) if p.code == "same_day_conflict")
    assert problem.message == (
        "90839 and 90834 on Mon 9 Mar 2026 by the same provider (both on this claim) do not go together under "
        "Acme: crisis psychotherapy already includes the psychotherapy given that day, so the same clinician "
        "does not bill both."
    )
    assert problem.fix_hint.startswith("Report the day's crisis time as crisis psychotherapy only")


def test_the_default_table_expands_em_codes_and_refuses_a_malformed_rule():
    rules = {r.rule: r for r in default_same_day_rules()}
    assert rules["em_with_diagnostic_evaluation"].codes[0] == "99202"
    assert rules["diagnostic_evaluation_with_psychotherapy"].severity is SameDaySeverity.WARNING
    with pytest.raises(ValueError, match="both sides"):
        parse_rules({"rules": [{"rule": "x", "codes": ["90791"], "with_codes": []}]}, em_codes=())
    with pytest.raises(ValueError, match="twice"):
        parse_rules(
            {"rules": [{"rule": "x", "codes": ["1"], "with_codes": ["2"]}] * 2},
            em_codes=(),
        )


def test_an_override_keeps_the_defaults_codes_and_words():
    default = SameDayRule(rule="a", codes=("1",), with_codes=("2",), why="because", fix_hint="fix")
    merged = merged_rules((default,), (SameDayRule(rule="a", severity=SameDaySeverity.WARNING),))
    assert merged == (replace(default, severity=SameDaySeverity.WARNING),)


# ---- item 5: Medicare and Medicaid-only HCPCS codes ---------------------------------------------


@pytest.mark.parametrize(
    ("_case", "kind", "code", "expected"),
    [
        ("H0004 on Medicare", "medicare", "H0004", [(E, "lines[0].code")]),
        ("H2019 on Medicare", "medicare", "H2019", [(E, "lines[0].code")]),
        ("H0038 on Medicare", "medicare", "H0038", [(E, "lines[0].code")]),
        ("T1016 on Medicare", "medicare", "T1016", [(E, "lines[0].code")]),
        ("S9480 on Medicare", "medicare", "S9480", [(E, "lines[0].code")]),
        ("90837 on Medicare", "medicare", "90837", []),
        ("G0176 on Medicare", "medicare", "G0176", []),
        ("H0004 on Medicaid", "medicaid", "H0004", []),
        ("H0004 on a commercial plan", "commercial", "H0004", []),
    ],
)  # fmt: skip
def test_codes_medicare_does_not_pay(_case, kind, code, expected):
    assert found(claim(coverage=coverage(kind), lines=lines(code)), "medicare_code_not_payable") == expected


def test_self_pay_is_not_medicare_and_the_table_takes_exceptions():
    assert found(claim(coverage=None, self_pay=True, lines=lines("H0004")), "medicare_code_not_payable") == []
    table = parse_not_payable({"families": {"H": "a Medicaid code"}, "except": ["h0031"]})
    assert (table.reason("H0004"), table.reason("H0031"), table.reason("90834")) == (
        "a Medicaid code",
        None,
        None,
    )
    with pytest.raises(ValueError, match="families"):
        parse_not_payable({"families": {"HX": "two letters"}})


def test_the_medicare_finding_reads_plainly():
    problem = next(
        p
        for p in scrub(claim(coverage=coverage("medicare"), lines=lines("H0004")))
        if p.code == "medicare_code_not_payable"
    )
    assert problem.message == (
        "Medicare (Plan) does not pay H0004: H codes are set up for state Medicaid mental-health and "
        "substance-use programmes."
    )


# ---- item 6: telehealth modifiers and POS 02 at home ----------------------------------------------


def tele(kind: str = "audio_video", *, at_home: bool = False, pos: str = "") -> NoteFacts:
    return replace(claim().note, telehealth=kind, patient_at_home=at_home, place_of_service=pos)


def mods(*modifiers: str, pos: str = "02") -> tuple[LineFacts, ...]:
    return (line(modifiers=modifiers, pos=pos),)


@pytest.mark.parametrize(
    ("_case", "changes", "code", "expected"),
    [
        ("GT on Medicare", {"coverage": coverage("medicare"), "note": tele(), "lines": mods("GT")}, "modifier_gt_medicare", [(E, "lines[0].modifiers")]),
        ("GT on a commercial plan", {"note": tele(), "lines": mods("GT")}, "modifier_gt_medicare", []),
        ("no GT on Medicare", {"coverage": coverage("medicare"), "note": tele(), "lines": mods()}, "modifier_gt_medicare", []),
        ("93 on audio and video", {"note": tele("audio_video"), "lines": mods("93")}, "modifier_telehealth_kind", [(E, "lines[0].modifiers")]),
        ("95 on audio and video", {"note": tele("audio_video"), "lines": mods("95")}, "modifier_telehealth_kind", []),
        ("93 on audio only", {"note": tele("audio_only"), "lines": mods("93")}, "modifier_telehealth_kind", []),
        ("95 on audio only (payer wants 93)", {"note": tele("audio_only"), "lines": mods("95")}, "modifier_telehealth_kind", [(E, "lines[0].modifiers")]),
        ("95 on audio only (payer wants 95)", {"policy": policy(coding={"audio_only_modifier": "95"}), "note": tele("audio_only"), "lines": mods("95")}, "modifier_telehealth_kind", []),
        ("95 and 93 together", {"note": tele("audio_video"), "lines": mods("95", "93")}, "modifier_conflict", [(E, "lines[0].modifiers")]),
        ("59 with XE", {"lines": mods("59", "XE", pos="11")}, "modifier_conflict", [(E, "lines[0].modifiers")]),
        ("59 with XU", {"lines": mods("XU", "59", pos="11")}, "modifier_conflict", [(E, "lines[0].modifiers")]),
        ("59 alone", {"lines": mods("59", pos="11")}, "modifier_conflict", []),
        ("XS alone", {"lines": mods("XS", pos="11")}, "modifier_conflict", []),
        ("POS 02 with the patient at home", {"note": tele(at_home=True), "lines": mods("95")}, "pos_telehealth_home", [(E, "lines[0].pos")]),
        ("POS 10 with the patient at home", {"note": tele(at_home=True), "lines": mods("95", pos="10")}, "pos_telehealth_home", []),
        ("POS 02 away from home", {"note": tele(at_home=False), "lines": mods("95")}, "pos_telehealth_home", []),
        ("POS 02 at home before POS 10 existed", {"date_of_service": date(2021, 12, 31), "today": date(2022, 1, 5), "note": tele(at_home=True), "lines": mods("95")}, "pos_telehealth_home", []),
        ("POS 02 at home on the day POS 10 began", {"date_of_service": date(2022, 1, 1), "today": date(2022, 1, 5), "note": tele(at_home=True), "lines": mods("95")}, "pos_telehealth_home", [(E, "lines[0].pos")]),
        ("a payer that always takes 02", {"policy": policy(coding={"telehealth_pos": TelehealthPos.ALWAYS_02}), "note": tele(at_home=True), "lines": mods("95")}, "pos_telehealth_home", []),
        ("in person at POS 02 (another finding)", {"note": replace(claim().note, patient_at_home=True), "lines": mods()}, "pos_telehealth_home", []),
    ],
)  # fmt: skip
def test_telehealth_modifiers_and_pos(_case, changes, code, expected):
    assert found(claim(**changes), code) == expected


# ---- item 7: the line's POS against the note's --------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "changes", "expected"),
    [
        ("in person, same POS", {"note": replace(claim().note, place_of_service="11"), "lines": mods(pos="11")}, []),
        ("in person, line at home", {"note": replace(claim().note, place_of_service="11"), "lines": mods(pos="12")}, [(W, "lines[0].pos")]),
        ("in person, line at 02 (an error elsewhere)", {"note": replace(claim().note, place_of_service="11"), "lines": mods(pos="02")}, []),
        ("the note's POS not known", {"lines": mods(pos="12")}, []),
        ("telehealth, note 10, line 10", {"note": tele(pos="10", at_home=True), "lines": mods("95", pos="10")}, []),
        ("telehealth, note 10, line 02 away from home", {"note": tele(pos="10"), "lines": mods("95", pos="02")}, [(W, "lines[0].pos")]),
        ("telehealth, note 10, line 02 at home (an error elsewhere)", {"note": tele(pos="10", at_home=True), "lines": mods("95", pos="02")}, []),
        ("telehealth, payer keeps the in-person POS", {"policy": policy(coding={"telehealth_pos": TelehealthPos.IN_PERSON_POS}), "note": tele(pos="11"), "lines": mods("95", pos="12")}, [(W, "lines[0].pos")]),
        ("telehealth, payer keeps the in-person POS, same", {"policy": policy(coding={"telehealth_pos": TelehealthPos.IN_PERSON_POS}), "note": tele(pos="11"), "lines": mods("95", pos="11")}, []),
        ("telehealth, payer always 02", {"policy": policy(coding={"telehealth_pos": TelehealthPos.ALWAYS_02}), "note": tele(pos="10"), "lines": mods("95", pos="02")}, []),
    ],
)  # fmt: skip
def test_line_pos_differs_from_the_note(_case, changes, expected):
    assert found(claim(**changes), "pos_differs_from_note") == expected


def test_a_pos_difference_is_a_warning_that_does_not_hold_the_claim():
    result = scrub(claim(note=replace(claim().note, place_of_service="11"), lines=mods(pos="12")))
    assert [(p.code, p.severity) for p in result] == [("pos_differs_from_note", Severity.WARNING)]


# ---- item 13: every finding at once ---------------------------------------------------------------

REFUSED = (RenderingRule(credentials=("LPC",), codes=(), billing=RenderingBilling.NOT_ALLOWED),)


@pytest.mark.parametrize(
    ("_case", "rendering_rules", "npi", "expected"),
    [
        ("refused and no NPI: both", REFUSED, "", ["credential_cannot_render", "npi_missing"]),
        ("refused, NPI on file", REFUSED, LPC.npi, ["credential_cannot_render"]),
        ("allowed and no NPI", (), "", ["npi_missing"]),
    ],
)  # fmt: skip
def test_a_refused_credential_does_not_hide_the_performers_npi(_case, rendering_rules, npi, expected):
    rendering = replace(LPC, npi=npi, enrollment=None)
    changes: dict[str, Any] = {"policy": policy(rendering=rendering_rules), "rendering": rendering}
    result = codes(scrub(claim(**changes)))
    # an unknown enrolment is reported only when the payer would pay the performer
    assert [c for c in result if c != "provider_not_enrolled"] == expected
    assert ("provider_not_enrolled" in result) is (not rendering_rules)


def test_every_check_runs_and_every_finding_is_listed():
    # given: problems of six different kinds on one claim
    broken = claim(
        coverage=replace(coverage("medicare"), terminates_on=date(2026, 3, 1)),
        rendering=replace(LPC, npi=""),
        diagnoses=(),
        note=tele("audio_video", at_home=True),
        lines=lines(
            line("90839", modifiers=("GT", "93"), pos="02"), line("H0004", pos="02"), line("90834", pos="02")
        ),
    )
    # when
    found_codes = set(codes(scrub(broken)))
    # then
    assert {
        "coverage_not_active",
        "npi_missing",
        "diagnosis_missing",
        "modifier_gt_medicare",
        "modifier_telehealth_kind",
        "pos_telehealth_home",
        "medicare_code_not_payable",
        "same_day_conflict",
    } - found_codes == set()
