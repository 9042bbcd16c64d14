"""Which authorization covers a service, and the scrubber's problems when none does (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from authorizations.domain.matching import authorization_check, authorization_for
from authorizations.domain.types import AuthorizationFacts, AuthStatus, ServiceToAuthorize, UnitKind

AUTH = AuthorizationFacts(
    authorization_id=1,
    patient_id=10,
    payer_id=20,
    number="PA-1",
    codes=frozenset({"97153", "97155"}),
    unit_kind=UnitKind.UNITS,
    authorized=100,
    used=40,
    start_on=date(2026, 1, 1),
    end_on=date(2026, 6, 30),
)
SERVICE = ServiceToAuthorize(
    patient_id=10, payer_id=20, code="97153", on=date(2026, 3, 2), provider_id=5, units=8
)


@pytest.mark.parametrize(
    ("_case", "service", "auth", "matches"),
    [
        ("covered", SERVICE, AUTH, True),
        ("first day", replace(SERVICE, on=date(2026, 1, 1)), AUTH, True),
        ("last day", replace(SERVICE, on=date(2026, 6, 30)), AUTH, True),
        ("day before", replace(SERVICE, on=date(2025, 12, 31)), AUTH, False),
        ("day after", replace(SERVICE, on=date(2026, 7, 1)), AUTH, False),
        ("another code", replace(SERVICE, code="90837"), AUTH, False),
        ("code in lower case", replace(SERVICE, code="97155 "), AUTH, True),
        ("another patient", replace(SERVICE, patient_id=11), AUTH, False),
        ("another payer", replace(SERVICE, payer_id=21), AUTH, False),
        ("made out to this provider", SERVICE, replace(AUTH, rendering_provider_id=5), True),
        ("made out to another provider", SERVICE, replace(AUTH, rendering_provider_id=6), False),
        ("cancelled", SERVICE, replace(AUTH, status=AuthStatus.CANCELLED), False),
        ("stored as expired but the date is inside", SERVICE, replace(AUTH, status=AuthStatus.EXPIRED), True),
    ],
)
def test_authorization_for(_case, service, auth, matches):
    assert (authorization_for(service, [auth]) is not None) is matches


def test_preference_enough_left_then_provider_then_ends_first():
    # given
    exhausted = replace(AUTH, authorization_id=2, number="PA-2", used=100)
    general_late = replace(AUTH, authorization_id=3, number="PA-3", end_on=date(2026, 12, 31))
    general_early = replace(AUTH, authorization_id=4, number="PA-4", end_on=date(2026, 4, 30))
    for_provider = replace(
        AUTH, authorization_id=5, number="PA-5", rendering_provider_id=5, end_on=date(2026, 12, 31)
    )

    # then
    assert authorization_for(SERVICE, [exhausted, general_late, general_early]).number == "PA-4"
    assert authorization_for(SERVICE, [general_early, for_provider]).number == "PA-5"
    assert authorization_for(SERVICE, [exhausted]).number == "PA-2"


@pytest.mark.parametrize(
    ("_case", "service", "auths", "number", "problems"),
    [
        ("covered", SERVICE, [AUTH], "PA-1", []),
        ("too few units", replace(SERVICE, units=61), [AUTH], "PA-1", ["auth_units_exceeded"]),
        ("exactly what is left", replace(SERVICE, units=60), [AUTH], "PA-1", []),
        (
            "visits: one per service",
            replace(SERVICE, units=8),
            [replace(AUTH, unit_kind=UnitKind.VISITS, authorized=41)],
            "PA-1",
            [],
        ),
        ("none on file", SERVICE, [], None, ["auth_missing"]),
        ("outside the dates", replace(SERVICE, on=date(2026, 8, 1)), [AUTH], None, ["auth_outside_dates"]),
        (
            "another provider",
            SERVICE,
            [replace(AUTH, rendering_provider_id=6)],
            None,
            ["auth_other_provider"],
        ),
        ("cancelled", SERVICE, [replace(AUTH, status=AuthStatus.CANCELLED)], None, ["auth_cancelled"]),
    ],
)
def test_authorization_check(_case, service, auths, number, problems):
    # when
    check = authorization_check(service, auths)

    # then
    assert check.number == number
    assert [p.code for p in check.problems] == problems


def test_messages_name_the_authorization():
    check = authorization_check(replace(SERVICE, units=61), [AUTH])
    assert check.problems[0].message == "Authorization PA-1 has 60 units left; this 97153 line needs 61."
