"""Caps per code (or group of codes) within an authorization's total: entering them, matching,
and the scrubber drawing several codes from one cap (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from authorizations.domain.matching import authorization_check, authorization_for
from authorizations.domain.rules import (
    authorization_problems,
    caps_as_text,
    caps_from_text,
    details_normalized,
)
from authorizations.domain.types import (
    AuthorizationDetails,
    AuthorizationFacts,
    CapDetails,
    ServiceToAuthorize,
    UnitCap,
    UnitKind,
)
from coding.domain.code_sets import shipped_catalog

ABA = frozenset({"97153", "97155", "97156", "97158"})
AUTH = AuthorizationFacts(
    authorization_id=1,
    patient_id=10,
    payer_id=20,
    number="PA-1",
    codes=ABA,
    unit_kind=UnitKind.UNITS,
    authorized=100,
    used=40,
    start_on=date(2026, 1, 1),
    end_on=date(2026, 6, 30),
    caps=(
        UnitCap(codes=frozenset({"97155"}), units=24, used=20),
        UnitCap(codes=frozenset({"97156", "97158"}), units=12, used=10),
    ),
)


def service(code: str, units: int) -> ServiceToAuthorize:
    return ServiceToAuthorize(patient_id=10, payer_id=20, code=code, on=date(2026, 3, 2), units=units)


@pytest.mark.parametrize(
    ("_case", "code", "units", "auth", "problem"),
    [
        ("per-code cap: the last 4 units", "97155", 4, AUTH, None),
        ("per-code cap: one unit over", "97155", 5, AUTH, "allows 24 units of 97155 and has 4 left for them; this 97155 line needs 5."),
        ("group cap: the last 2 units, other code of the group", "97158", 2, AUTH, None),
        ("group cap: one over", "97158", 3, AUTH, "allows 12 units of 97156, 97158 and has 2 left for them; this 97158 line needs 3."),
        ("an uncapped code draws on the total", "97153", 60, AUTH, None),
        ("an uncapped code over the total", "97153", 61, AUTH, "has 60 units left; this 97153 line needs 61."),
        ("the total binds before the cap", "97155", 3, replace(AUTH, used=98), "has 2 units left; this 97155 line needs 3."),
        ("no caps: the total only", "97155", 60, replace(AUTH, caps=()), None),
    ],
)  # fmt: skip
def test_a_line_fits_its_cap_and_the_total(_case, code, units, auth, problem):
    found = authorization_check(service(code, units), [auth])

    assert found.authorization is not None
    assert [p.message.removeprefix("Authorization PA-1 ") for p in found.problems] == (
        [problem] if problem else []
    )


def test_an_authorization_whose_cap_is_spent_is_not_preferred():
    spent = AUTH  # 97155: 4 left under its cap
    roomy = replace(AUTH, authorization_id=2, number="PA-2", end_on=date(2026, 12, 31), caps=())

    assert authorization_for(service("97155", 5), [spent, roomy]) == roomy
    assert authorization_for(service("97155", 4), [spent, roomy]) == spent  # ends first, enough left


def test_remaining_and_usage_by_code():
    assert [AUTH.remaining_for(c) for c in ("97153", "97155", "97156", "97158")] == [60, 4, 2, 2]
    more = AUTH.with_used({"97155": 3, "97153": 5})
    assert (more.used, [c.used for c in more.caps]) == (48, [23, 10])
    visit = AUTH.with_used({"97156": 1, "97158": 1}, total=1)  # one visit, two codes
    assert (visit.used, [c.used for c in visit.caps]) == (41, [20, 12])


# ---- entering caps ----------------------------------------------------------------------------------


def details(*caps: CapDetails, authorized: int = 100) -> AuthorizationDetails:
    return details_normalized(
        AuthorizationDetails(
            number="PA-1",
            codes=("97153", "97155", "97156", "97158"),
            unit_kind="units",
            authorized=authorized,
            start_on=date(2026, 1, 1),
            end_on=date(2026, 6, 30),
            caps=caps,
        )
    )


@pytest.mark.parametrize(
    ("_case", "caps", "message"),
    [
        ("a per-code cap", (CapDetails(("97155",), 24),), None),
        ("a group cap and a code cap", (CapDetails(("97156", "97158"), 12), CapDetails(("97155",), 24)), None),
        ("caps adding up to more than the total", (CapDetails(("97153",), 90), CapDetails(("97155",), 90)), None),
        ("a cap of 1", (CapDetails(("97155",), 1),), None),
        ("a cap of the whole total", (CapDetails(("97155",), 100),), None),
        ("a cap of 0", (CapDetails(("97155",), 0),), "Cap 1 (97155): a cap is between 1 and the authorized total (100)."),
        ("a cap over the total", (CapDetails(("97155",), 101),), "Cap 1 (97155): a cap is between 1 and the authorized total (100)."),
        ("a code not authorized", (CapDetails(("97155", "90837"), 10),), "Cap 1 (97155, 90837): 90837 is not one of the authorized codes."),
        ("a code in two caps", (CapDetails(("97155",), 10), CapDetails(("97156", "97155"), 10)), "Cap 2 (97156, 97155): 97155 is already capped in cap 1; a code has one cap."),
        ("no code", (CapDetails((" ",), 10),), "Cap 1 (no codes) names no code."),
    ],
)  # fmt: skip
def test_cap_rules_at_their_edges(_case, caps, message):
    found = [p.message for p in authorization_problems(details(*caps), catalog=shipped_catalog())]

    assert found == ([message] if message else [])


def test_caps_are_normalised_like_codes():
    assert details(CapDetails((" 97155", "97155", "97156 "), 5)).caps == (CapDetails(("97155", "97156"), 5),)


@pytest.mark.parametrize(
    ("text", "caps", "bad_lines"),
    [
        ("97155: 24", (CapDetails(("97155",), 24),), []),
        (
            "97156, 97158: 12\n\n97155=24",
            (CapDetails(("97156", "97158"), 12), CapDetails(("97155",), 24)),
            [],
        ),
        ("", (), []),
        ("97155 24", (), [1]),
        ("97155: 24\n97156: twelve", (CapDetails(("97155",), 24),), [2]),
        ("97155: -3", (), [1]),
    ],
)
def test_caps_from_text(text, caps, bad_lines):
    parsed, problems = caps_from_text(text)

    assert parsed == caps
    assert [int(p.message.split()[2].rstrip(":")) for p in problems] == bad_lines


def test_caps_round_trip_through_text():
    caps = (CapDetails(("97156", "97158"), 12), CapDetails(("97155",), 24))

    assert caps_from_text(caps_as_text(caps)) == (caps, [])


# ---- a stored charge set re-scrubbed: its own usage given back, in total and per cap ----------------


def test_a_charge_sets_own_usage_is_given_back_to_the_total_and_its_cap():
    from claims.domain.capture_plan import ChargeRow  # noqa: PLC0415 - claims sits above authorizations
    from claims.domain.claim_facts import without_own_usage  # noqa: PLC0415

    def row(code: str, units: int, auth_id: int | None) -> ChargeRow:
        return ChargeRow(1, code, units, (), "11", (1,), units * 15, False, 0, 0, "default", auth_id, "PA-1")

    lines = [row("97155", 4, 1), row("97153", 6, 1), row("97155", 0, 1), row("97156", 2, None)]

    (given_back,) = without_own_usage(lines, [AUTH])

    assert (given_back.used, [c.used for c in given_back.caps]) == (30, [16, 10])
