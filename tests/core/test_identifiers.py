"""Table-driven tests for the claim identifiers: NPI, tax ID (EIN), member ID, street address."""

import pytest

from core.domain.identifiers import (
    luhn_check_digit,
    member_id_problems,
    normalize_tax_id,
    npi_is_valid,
    npi_problems,
    npi_with_check_digit,
    street_address_problems,
    tax_id_problems,
)

# --- NPI ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "npi", "codes"),
    [
        ("CMS example", "1234567893", []),
        ("another valid type 1", "1245319599", []),
        ("valid, starts with 1", "1003000126", []),
        ("valid, starts with 2", "2000000002", []),
        ("surrounding spaces are trimmed", " 1234567893 ", []),
        ("wrong check digit", "1234567890", ["npi_check_digit"]),
        ("transposed digits", "1234576893", ["npi_check_digit"]),
        ("nine digits", "123456789", ["npi_format"]),
        ("eleven digits", "12345678931", ["npi_format"]),
        ("letters", "12345678AB", ["npi_format"]),
        ("hyphenated", "123-456-78", ["npi_format"]),
        ("leading 3", "3234567893", ["npi_format"]),
        ("leading 0", "0234567893", ["npi_format"]),
        ("empty", "", ["npi_missing"]),
        ("blank", "   ", ["npi_missing"]),
    ],
)
def test_npi_problems(_case, npi, codes):
    # when
    problems = npi_problems(npi)
    # then
    assert [p.code for p in problems] == codes
    assert all(p.field == "npi" for p in problems)


def test_npi_problems_use_the_given_field():
    # when
    problems = npi_problems("1234567890", field="billing_npi")
    # then
    assert [(p.code, p.field) for p in problems] == [("npi_check_digit", "billing_npi")]
    assert problems[0].fix_hint != ""


@pytest.mark.parametrize(
    ("_case", "npi", "valid"),
    [
        ("valid", "1234567893", True),
        ("check digit off by one", "1234567894", False),
        ("leading 3 with a Luhn-valid tail", "3234567893", False),
        ("too short", "123456789", False),
        ("not digits", "abcdefghij", False),
    ],
)
def test_npi_is_valid(_case, npi, valid):
    assert npi_is_valid(npi) is valid


def test_npi_with_check_digit_completes_a_valid_npi():
    # given
    payloads = ["123456789", "100000000", "200000000", "199999999"]
    # when
    npis = [npi_with_check_digit(p) for p in payloads]
    # then
    assert npis == ["1234567893", "1000000004", "2000000002", "1999999992"]
    assert all(npi_is_valid(n) for n in npis)


def test_luhn_check_digit_uses_the_80840_prefix():
    # the check digit of 1234567893 is computed over 80840 + 123456789 (CMS's worked example)
    assert luhn_check_digit("80840123456789") == 3


# --- tax ID (EIN) ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "tax_id", "codes"),
    [
        ("with hyphen", "12-3456789", []),
        ("digits only", "123456789", []),
        ("spaces trimmed", " 12-3456789 ", []),
        ("eight digits", "12-345678", ["tax_id_format"]),
        ("ten digits", "12-34567890", ["tax_id_format"]),
        ("hyphen in the wrong place", "123-456789", ["tax_id_format"]),
        ("letters", "AB-3456789", ["tax_id_format"]),
        ("SSN shape", "123-45-6789", ["tax_id_format"]),
        ("empty", "", ["tax_id_format"]),
    ],
)
def test_tax_id_problems(_case, tax_id, codes):
    assert [p.code for p in tax_id_problems(tax_id)] == codes


@pytest.mark.parametrize(("raw", "normalized"), [("123456789", "12-3456789"), ("12-3456789", "12-3456789")])
def test_normalize_tax_id(raw, normalized):
    assert normalize_tax_id(raw) == normalized


# --- member ID ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "member_id", "codes"),
    [
        ("letters and digits", "MBR12345678", []),
        ("with hyphens inside", "XYZ-123-456", []),
        ("three characters (shortest)", "A-1", []),
        ("thirty characters (longest)", "A" * 30, []),
        ("two characters", "AB", ["member_id_format"]),
        ("thirty-one characters", "A" * 31, ["member_id_format"]),
        ("inner space", "ABC 123", ["member_id_format"]),
        ("leading hyphen", "-ABC123", ["member_id_format"]),
        ("trailing hyphen", "ABC123-", ["member_id_format"]),
        ("symbol", "ABC*123", ["member_id_format"]),
        ("empty", "", ["member_id_missing"]),
        ("blank", "  ", ["member_id_missing"]),
    ],
)
def test_member_id_problems(_case, member_id, codes):
    assert [p.code for p in member_id_problems(member_id)] == codes


# --- street address (no PO box) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "line1", "codes"),
    [
        ("street", "100 Main Street", []),
        ("suite", "200 Oak Avenue Suite 4", []),
        ("a word containing box", "1 Boxwood Lane", []),
        ("PO Box", "PO Box 123", ["address_po_box"]),
        ("P.O. Box", "P.O. Box 5", ["address_po_box"]),
        ("lower case with spaces", "p o box 9", ["address_po_box"]),
        ("no space", "POBox 12", ["address_po_box"]),
        ("spelled out", "Post Office Box 12", ["address_po_box"]),
        ("POB", "POB 44", ["address_po_box"]),
        ("empty", "", ["address_missing"]),
    ],
)
def test_street_address_problems(_case, line1, codes):
    assert [p.code for p in street_address_problems(line1)] == codes
