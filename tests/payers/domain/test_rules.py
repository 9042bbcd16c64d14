"""Payer and enrolment rules (pure, no database)."""

from dataclasses import replace
from datetime import date

import pytest

from payers.domain.rules import (
    CLAIM_FILING_INDICATORS,
    PAYER_KINDS,
    enrollment_problems,
    payer_details_normalized,
    payer_problems,
)
from payers.domain.types import EnrollmentDetails, PayerDetails

PAYER = PayerDetails(
    name="Acme Health Plan",
    kind="commercial",
    payer_id="60054",
    claim_filing_indicator="CI",
    address_line1="PO Box 14079",
    address_line2="",
    city="Lexington",
    state="KY",
    postal_code="40512",
    phone="",
    timely_filing_days=90,
    appeal_window_days=180,
)


def codes(problems):
    return [(p.code, p.field) for p in problems]


def test_valid_payer_may_use_a_po_box():
    assert payer_problems(PAYER) == []


@pytest.mark.parametrize(
    ("_case", "changes", "expected"),
    [
        ("self-pay without payer ID", {"kind": "self_pay", "payer_id": ""}, []),
        ("commercial without payer ID", {"payer_id": ""}, [("payer_id_missing", "payer_id")]),
        ("medicaid without payer ID", {"kind": "medicaid", "payer_id": ""}, [("payer_id_missing", "payer_id")]),
        ("two characters (shortest)", {"payer_id": "AB"}, []),
        ("ten characters (longest)", {"payer_id": "ABCDE12345"}, []),
        ("one character", {"payer_id": "A"}, [("payer_id_format", "payer_id")]),
        ("eleven characters", {"payer_id": "ABCDE123456"}, [("payer_id_format", "payer_id")]),
        ("punctuation", {"payer_id": "AB-12"}, [("payer_id_format", "payer_id")]),
        ("unknown kind", {"kind": "crypto"}, [("kind_unknown", "kind")]),
        ("unknown filing indicator", {"claim_filing_indicator": "XX"}, [("claim_filing_indicator_unknown", "claim_filing_indicator")]),
        ("no address at all is fine", {"address_line1": "", "city": "", "state": "", "postal_code": ""}, []),
        ("partial address", {"city": ""}, [("city_missing", "city")]),
        ("zero timely filing days", {"timely_filing_days": 0}, [("timely_filing_days_range", "timely_filing_days")]),
        ("one day is the minimum", {"timely_filing_days": 1}, []),
        ("three years is the maximum", {"appeal_window_days": 1095}, []),
        ("beyond three years", {"appeal_window_days": 1096}, [("appeal_window_days_range", "appeal_window_days")]),
        ("no name", {"name": ""}, [("name_missing", "name")]),
    ],
)  # fmt: skip
def test_payer_problems(_case, changes, expected):
    assert codes(payer_problems(replace(PAYER, **changes))) == expected


def test_payer_details_are_normalized():
    normalized = payer_details_normalized(replace(PAYER, payer_id=" bcbsil ", state="ky", name=" Acme "))
    assert (normalized.payer_id, normalized.state, normalized.name) == ("BCBSIL", "KY", "Acme")


def test_domain_code_sets_match_the_model_choices():
    from payers.models import Payer

    assert {c for c, _ in Payer.Kind.choices} == PAYER_KINDS
    assert {c for c, _ in Payer.ClaimFilingIndicator.choices} == CLAIM_FILING_INDICATORS


ENROLLED = EnrollmentDetails(
    status="enrolled", effective_on=date(2025, 1, 1), ends_on=None, payer_provider_id=""
)


@pytest.mark.parametrize(
    ("_case", "details", "kind", "expected"),
    [
        ("enrolled with a date", ENROLLED, "commercial", []),
        ("enrolled without a date", replace(ENROLLED, effective_on=None), "commercial", [("effective_on_missing", "effective_on")]),
        ("pending without a date", replace(ENROLLED, status="pending", effective_on=None), "medicaid", []),
        ("ends the day it starts", replace(ENROLLED, ends_on=date(2025, 1, 1)), "commercial", []),
        ("ends before it starts", replace(ENROLLED, ends_on=date(2024, 12, 31)), "commercial", [("enrollment_dates_order", "ends_on")]),
        ("self-pay", ENROLLED, "self_pay", [("enrollment_self_pay", "payer")]),
        ("unknown status", replace(ENROLLED, status="maybe"), "commercial", [("status_unknown", "status")]),
    ],
)  # fmt: skip
def test_enrollment_problems(_case, details, kind, expected):
    assert codes(enrollment_problems(details, payer_kind=kind)) == expected
