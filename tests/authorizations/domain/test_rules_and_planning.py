"""Entering an authorization, recording its use, and planned use from appointments (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from authorizations.domain.planning import PlannedSession, planned_by_date, planned_usage
from authorizations.domain.rules import (
    authorization_problems,
    codes_from_text,
    details_normalized,
    settable_status_problems,
    usage_problems,
)
from authorizations.domain.types import AuthorizationDetails, AuthStatus, AuthUsage, UnitKind, UsageSource
from coding.domain.code_sets import shipped_catalog
from coding.domain.payer_defaults import payer_kind_coding_rules
from coding.domain.types import PayerCodingRules, UnitRule

CATALOG = shipped_catalog()
DETAILS = AuthorizationDetails(
    number=" pa-2026-001 ",
    codes=("97153", " 97155", "97153"),
    unit_kind="units",
    authorized=480,
    start_on=date(2026, 1, 1),
    end_on=date(2026, 6, 30),
)


def test_codes_from_text():
    assert codes_from_text("97153, 97155 h2019;97153") == ("97153", "97155", "H2019")


def test_details_are_normalised_and_valid():
    details = details_normalized(DETAILS)
    assert (details.number, details.codes) == ("PA-2026-001", ("97153", "97155"))
    assert authorization_problems(details, catalog=CATALOG) == []


@pytest.mark.parametrize(
    ("_case", "changes", "expected"),
    [
        ("no number", {"number": " "}, [("auth_number_missing", "number")]),
        ("number with spaces", {"number": "PA 1"}, [("auth_number_format", "number")]),
        ("no codes", {"codes": ()}, [("auth_codes_missing", "codes")]),
        ("unknown code", {"codes": ("97153", "ABCDE")}, [("auth_code_unknown", "codes")]),
        ("zero units", {"authorized": 0}, [("auth_amount_range", "authorized")]),
        ("dates reversed", {"end_on": date(2025, 12, 31)}, [("auth_dates_order", "end_on")]),
        ("four years", {"end_on": date(2030, 1, 2)}, [("auth_period_too_long", "end_on")]),
        ("unit kind", {"unit_kind": "hours"}, [("auth_unit_kind_unknown", "unit_kind")]),
    ],
)
def test_authorization_problems(_case, changes, expected):
    details = details_normalized(replace(DETAILS, **changes))
    assert [(p.code, p.field) for p in authorization_problems(details, catalog=CATALOG)] == expected


def test_settable_statuses():
    assert settable_status_problems("cancelled") == []
    assert settable_status_problems("active") == []
    assert [p.code for p in settable_status_problems("exhausted")] == ["auth_status_not_settable"]


@pytest.mark.parametrize(
    ("_case", "changes", "expected"),
    [
        ("fine", {}, []),
        ("first day", {"on": date(2026, 1, 1)}, []),
        ("after the end", {"on": date(2026, 7, 1)}, ["auth_usage_outside_dates"]),
        ("no units", {"units": 0}, ["auth_usage_units"]),
        ("code not authorized", {"code": "90837"}, ["auth_usage_code_not_authorized"]),
        ("no code given", {"code": ""}, []),
        ("cancelled", {"status": AuthStatus.CANCELLED}, ["auth_usage_cancelled"]),
        ("no source", {"source_id": ""}, ["auth_usage_source"]),
    ],
)
def test_usage_problems(_case, changes, expected):
    arguments = {
        "status": AuthStatus.ACTIVE,
        "codes": frozenset({"97153"}),
        "start_on": date(2026, 1, 1),
        "end_on": date(2026, 6, 30),
        "source_id": "charge-line:1",
        "code": "97153",
        "units": 4,
        "on": date(2026, 3, 2),
    } | changes
    assert [p.code for p in usage_problems(**arguments)] == expected


# ---- planned use -----------------------------------------------------------------------------------

SESSION = PlannedSession(
    appointment_id=7,
    patient_id=1,
    provider_id=2,
    date_of_service=date(2026, 3, 9),
    service_type="aba_technician_treatment",
    minutes=127,
    credential="RBT",
)


@pytest.mark.parametrize(
    ("_case", "rules", "unit_kind", "units"),
    [
        ("CPT midpoint: 127 minutes = 8 units", PayerCodingRules(), UnitKind.UNITS, 8),
        ("CMS rule: the same here", PayerCodingRules(unit_rule=UnitRule.CMS_8_MINUTE), UnitKind.UNITS, 8),
        ("counted in visits", PayerCodingRules(), UnitKind.VISITS, 1),
    ],
)
def test_planned_units_by_the_payers_unit_rule(_case, rules, unit_kind, units):
    usage = planned_usage(
        SESSION, codes=frozenset({"97153"}), unit_kind=unit_kind, rules=rules, catalog=CATALOG
    )
    assert usage == AuthUsage(
        date=date(2026, 3, 9), code="97153", units=units, source=UsageSource.APPOINTMENT, ref="appointment:7"
    )


def test_planned_with_the_payers_code_substitution():
    # the medicaid defaults bill a technician's 97153 as H2019: an authorization for 97153 is not used
    rules = payer_kind_coding_rules("medicaid")
    assert (
        planned_usage(
            SESSION, codes=frozenset({"97153"}), unit_kind=UnitKind.UNITS, rules=rules, catalog=CATALOG
        )
        is None
    )
    usage = planned_usage(
        SESSION, codes=frozenset({"H2019"}), unit_kind=UnitKind.UNITS, rules=rules, catalog=CATALOG
    )
    assert (usage.code, usage.units) == ("H2019", 8)


def test_psychotherapy_visit_and_unknown_service():
    therapy = PlannedSession(
        appointment_id=8, patient_id=1, provider_id=2, date_of_service=date(2026, 3, 9),
        service_type="individual_psychotherapy", minutes=60, credential="LCSW",
    )  # fmt: skip
    usage = planned_usage(
        therapy,
        codes=frozenset({"90837"}),
        unit_kind=UnitKind.VISITS,
        rules=PayerCodingRules(),
        catalog=CATALOG,
    )
    assert (usage.code, usage.units) == ("90837", 1)
    odd = replace(therapy, service_type="juggling")
    assert (
        planned_usage(
            odd,
            codes=frozenset({"90837"}),
            unit_kind=UnitKind.VISITS,
            rules=PayerCodingRules(),
            catalog=CATALOG,
        )
        is None
    )


def test_planned_by_date_adds_up_a_day():
    usages = [
        AuthUsage(date=date(2026, 3, 9), code="97153", units=4, source=UsageSource.APPOINTMENT),
        AuthUsage(date=date(2026, 3, 9), code="97153", units=2, source=UsageSource.APPOINTMENT),
        AuthUsage(date=date(2026, 3, 10), code="97153", units=8, source=UsageSource.APPOINTMENT),
    ]
    assert planned_by_date(usages) == {date(2026, 3, 9): 6, date(2026, 3, 10): 8}
