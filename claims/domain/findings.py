"""Findings in words for the lists: a charge set's first finding, and a short plain label per
finding code (the "reason" a set is on hold). Pure: stored findings are plain dicts."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from claims.domain.scrubber.common import ScrubCode

# Short labels for grouping ("on hold because …"); each finding's own message says the rest.
SCRUB_CODE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        ScrubCode.SELF_PAY: "Self-pay",
        ScrubCode.COVERAGE_NOT_ACTIVE: "Coverage not active",
        ScrubCode.MEMBER_ID_INVALID: "Member ID not valid",
        ScrubCode.ELIGIBILITY_NOT_VERIFIED: "Eligibility not verified",
        ScrubCode.AUTH_MISSING: "Prior authorization missing",
        ScrubCode.AUTH_DATES: "Outside the authorization's dates",
        ScrubCode.AUTH_OTHER_PROVIDER: "Authorization is for another provider",
        ScrubCode.AUTH_UNITS_EXHAUSTED: "Authorization used up",
        ScrubCode.NOTE_NOT_FINAL: "Note not final",
        ScrubCode.NOTE_NOT_COSIGNED: "Note not co-signed",
        ScrubCode.RENDERING_MISSING: "No rendering provider",
        ScrubCode.PROVIDER_NOT_ENROLLED: "Provider not enrolled with the payer",
        ScrubCode.LICENSE_NOT_VALID: "Licence not valid on the date",
        ScrubCode.CREDENTIAL_CANNOT_RENDER: "Credential not accepted by the payer",
        ScrubCode.SUPERVISOR_REQUIRED: "Supervising provider needed",
        ScrubCode.NPI_MISSING: "NPI missing",
        ScrubCode.NPI_INVALID: "NPI not valid",
        ScrubCode.DIAGNOSIS_MISSING: "No diagnosis",
        ScrubCode.DIAGNOSIS_NOT_BILLABLE: "Diagnosis code not billable",
        ScrubCode.DIAGNOSIS_AGE: "Diagnosis does not fit the patient's age",
        ScrubCode.POINTER_MISSING: "Line not linked to a diagnosis",
        ScrubCode.POINTER_INVALID: "Line linked to a missing diagnosis",
        ScrubCode.CODE_UNKNOWN: "Unknown procedure code",
        ScrubCode.MINUTES_MISMATCH: "Minutes do not fit the code",
        ScrubCode.UNITS_INVALID: "Units not valid",
        ScrubCode.UNITS_EXCEED_MINUTES: "More units than the minutes allow",
        ScrubCode.UNITS_OVER_DAILY_MAX: "Over the payer's daily unit limit",
        ScrubCode.ADD_ON_WITHOUT_PRIMARY: "Add-on code without its primary code",
        ScrubCode.ADD_ON_NOT_ALLOWED: "Add-on code not allowed with this code",
        ScrubCode.MODIFIER_MISSING: "Modifier missing",
        ScrubCode.MODIFIER_NOT_EXPECTED: "Modifier not expected",
        ScrubCode.MODIFIER_UNKNOWN: "Unknown modifier",
        ScrubCode.POS_UNKNOWN: "Unknown place of service",
        ScrubCode.POS_TELEHEALTH_MISMATCH: "Place of service does not match telehealth",
        ScrubCode.DUPLICATE_LINE: "Same service billed twice",
        ScrubCode.TIMELY_FILING_PASSED: "Filing deadline passed",
        ScrubCode.TIMELY_FILING_NEAR: "Filing deadline near",
        ScrubCode.PART2_CONSENT_MISSING: "Part 2 consent missing",
        ScrubCode.VISIT_LIMIT_REACHED: "Visit limit reached",
        ScrubCode.NOTHING_TO_BILL: "Nothing to bill",
        ScrubCode.ICD10_YEAR_NOT_LOADED: "ICD-10-CM year not loaded",
        ScrubCode.CODE_NOT_FOR_SERVICE: "Code does not match the documented service",
        ScrubCode.SAME_DAY_CONFLICT: "Codes that conflict on the same day",
        ScrubCode.MEDICARE_CODE_NOT_PAYABLE: "Code Medicare does not pay",
        ScrubCode.MODIFIER_GT_MEDICARE: "GT modifier on a Medicare claim",
        ScrubCode.MODIFIER_TELEHEALTH_KIND: "Telehealth modifier does not fit the session",
        ScrubCode.MODIFIER_CONFLICT: "Modifiers that cannot go together",
        ScrubCode.POS_TELEHEALTH_HOME: "Telehealth place of service should be home (10)",
        ScrubCode.POS_DIFFERS_FROM_NOTE: "Place of service differs from the note",
        ScrubCode.TELEHEALTH_RULES_MISSING: "Payer's telehealth rules not set",
        ScrubCode.EVALUATION_REPEATED: "Diagnostic evaluation repeated too soon",
        ScrubCode.ELIGIBILITY_NOT_COVERED: "Not covered on the date (eligibility response)",
        ScrubCode.ELIGIBILITY_VISITS_USED_UP: "Visit limit used up (eligibility response)",
        ScrubCode.ELIGIBILITY_AUTH_REQUIRED: "Authorization required (eligibility response)",
    }
)


def finding_label(code: str) -> str:
    """The plain label of a finding code; a code without one reads as words, never as a key."""
    label = SCRUB_CODE_LABELS.get(code)
    if label is not None:
        return label
    words = code.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else "Other problem"


def first_finding(findings: Sequence[Mapping[str, str]]) -> Mapping[str, str] | None:
    """The finding a list shows first: the first error, else the first warning, else none."""
    for finding in findings:
        if finding.get("severity") == "error":
            return finding
    return findings[0] if findings else None


def hold_reason(findings: Sequence[Mapping[str, str]]) -> str:
    """The code of the first error (why a set is on hold); "" when there is no error."""
    first = first_finding(findings)
    return first.get("code", "") if first is not None and first.get("severity") == "error" else ""


def why_after_override(
    why: Sequence[str], *, line_number: int, old_code: str, before: str, after: str, reason: str, who: str
) -> list[str]:
    """The "why" once a biller changed a line: the capture's reasons about the old code (its time
    band, its units, its fee) no longer hold, so they go; the change and its reason take their
    place. Reasons about the claim as a whole (payer, rules, diagnoses) stay."""
    kept = [entry for entry in why if not _mentions(entry, old_code)]
    return [*kept, f"Line {line_number} changed by {who}: {before} → {after}. Reason: {reason}"]


def _mentions(text: str, code: str) -> bool:
    return bool(code) and any(token.strip(".,:;()") == code for token in text.split())


def line_text(code: str, modifiers: Sequence[str], units: int) -> str:
    """A line as a biller reads it: "90837-95, 1 unit"."""
    return f"{'-'.join((code, *modifiers))}, {units} unit{'s' if units != 1 else ''}"


_FIELD_WORDS = {
    "pos": "place of service",
    "npi": "NPI",
    "diagnosis_pointers": "diagnosis pointers",
    "member_id": "member ID",
    "auth_number": "authorization",
    "diagnoses": "diagnosis",
    "sessions": "session",
}


def field_label(field: str) -> str:
    """Where a finding points, in words: `lines[0].code` → "line 1, code",
    `claim.diagnoses` → "claim, diagnoses"; "" stays ""."""
    parts = []
    for part in field.split("."):
        match = re.fullmatch(r"(\w+)\[(\d+)\]", part)
        if match:
            name = "line" if match.group(1) == "lines" else _FIELD_WORDS.get(match.group(1), match.group(1))
            parts.append(f"{name.replace('_', ' ')} {int(match.group(2)) + 1}")
        elif part:
            parts.append(_FIELD_WORDS.get(part, part).replace("_", " "))
    return ", ".join(parts)
