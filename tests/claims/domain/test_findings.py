"""Findings in words: a charge set's first finding, its hold reason, and plain labels."""

from __future__ import annotations

import pytest

from claims.domain.findings import SCRUB_CODE_LABELS, finding_label, first_finding, hold_reason
from claims.domain.scrubber.common import ScrubCode

WARN = {"code": "timely_filing_near", "severity": "warning", "message": "Filing deadline in 10 days."}
ERR = {"code": "auth_missing", "severity": "error", "message": "No prior authorization on file."}
ERR2 = {"code": "npi_missing", "severity": "error", "message": "The rendering provider has no NPI."}


@pytest.mark.parametrize(
    ("_case", "findings", "first", "reason"),
    [
        ("none", [], None, ""),
        ("a warning only", [WARN], WARN, ""),
        ("an error after a warning", [WARN, ERR], ERR, "auth_missing"),
        ("two errors: the first", [ERR2, ERR], ERR2, "npi_missing"),
    ],
)
def test_the_first_finding_is_the_first_error_else_the_first_warning(_case, findings, first, reason):
    assert first_finding(findings) == first
    assert hold_reason(findings) == reason


def test_every_scrubber_code_has_a_plain_label():
    assert set(SCRUB_CODE_LABELS) == {code.value for code in ScrubCode}
    assert all("_" not in label for label in SCRUB_CODE_LABELS.values())


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("auth_missing", "Prior authorization missing"),
        ("payer_credential_not_allowed", "Payer credential not allowed"),  # a code without a label yet
        ("", "Other problem"),
    ],
)
def test_finding_labels_never_show_a_key(code, label):
    assert finding_label(code) == label


def test_why_after_override_drops_the_old_codes_reasons_and_adds_the_change():
    from claims.domain.findings import line_text, why_after_override

    why = [
        "Payer: Acme, the primary coverage active on Mon 9 Mar 2026.",
        "60 minutes of ABA treatment make 4 units: 97153.",
        "Fee for 97153 from the practice's default fees.",
        "Claim diagnoses in rank order: F84.0.",
    ]
    after = why_after_override(
        why,
        line_number=1,
        old_code="97153",
        before=line_text("97153", (), 4),
        after=line_text("97153", (), 3),
        reason="One unit was a break.",
        who="biller",
    )
    assert after == [
        "Payer: Acme, the primary coverage active on Mon 9 Mar 2026.",
        "Claim diagnoses in rank order: F84.0.",
        "Line 1 changed by biller: 97153, 4 units → 97153, 3 units. Reason: One unit was a break.",
    ]


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("lines[0].code", "line 1, code"),
        ("lines[2].diagnosis_pointers", "line 3, diagnosis pointers"),
        ("claim.rendering_provider", "claim, rendering provider"),
        ("", ""),
    ],
)
def test_field_paths_read_as_words(field, label):
    from claims.domain.findings import field_label

    assert field_label(field) == label


@pytest.mark.parametrize(
    ("ref", "label"),
    [("charge-line:47", "Charge line 47"), ("appointment:34", "Appointment 34"), ("manual", "Manual")],
)
def test_usage_sources_read_as_words(ref, label):
    from authorizations.domain.types import usage_ref_label

    assert usage_ref_label(ref) == label
