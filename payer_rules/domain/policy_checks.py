"""Checks of a payer's rules against the code set, the credentials and sane ranges (pure).

`policy_problems(policy, catalog=, on=)` returns every problem at once, each with the field path
the forms and the API use (`prior_auth[0].codes`, `coding.max_units_per_day.97153`, ...). Codes
must be CPT/HCPCS codes of coding's catalog; a code the catalog knows only on other dates is a
warning (the version may start before the code does). Credentials are practice's `Credential`
values. Telehealth and distinct-service modifiers come from short allowed lists.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from coding.domain.code_sets import CodeCatalog
from coding.domain.crosswalk import crosswalk_allowed
from coding.domain.types import EVALUATION_REPEAT_MAX_DAYS, CodeKind
from core.domain.problems import Problem, Severity
from core.domain.service_types import SERVICE_TYPE_LABELS
from core.formatting import date_label
from edi.codes import SERVICE_TYPES
from payer_rules.domain.policy import PayerPolicy, PolicyProblemCode, field_path
from payer_rules.domain.same_day import default_same_day_rules
from practice.domain.credentials import Credential

VIDEO_MODIFIERS = ("95", "GT", "")
AUDIO_ONLY_MODIFIERS = ("93", "FQ", "95", "GT", "")
DISTINCT_MODIFIERS = ("59", "XE", "XS", "XP", "XU")
MAX_UNITS_PER_DAY = 96  # 24 hours of 15-minute units
MAX_VISITS_PER_YEAR = 366
MAX_AGE = 130
MAX_DAYS = 3 * 365  # as payers.domain.rules: windows are at most three years
NAME_MAX = 60
MESSAGE_MAX = 200
KNOWN_CREDENTIALS = frozenset(c.value for c in Credential)
_DX_PREFIX = re.compile(r"^[A-Z][0-9]([0-9A-Z](\.?[0-9A-Z]{1,4})?)?$")


def _error(
    code: PolicyProblemCode, loc: Sequence[str | int], message: str, *, warning: bool = False
) -> Problem:
    return Problem(
        code=code,
        message=message,
        field=field_path(loc),
        severity=Severity.WARNING if warning else Severity.ERROR,
    )


def _code_problems(
    codes: Sequence[str], loc: Sequence[str | int], *, catalog: CodeCatalog, on: date
) -> list[Problem]:
    problems: list[Problem] = []
    for code in codes:
        if catalog.lookup(code, on=on, kind=CodeKind.CPT) or catalog.lookup(code, on=on, kind=CodeKind.HCPCS):
            continue
        versions = [v for v in catalog.any_version(code) if v.kind in (CodeKind.CPT, CodeKind.HCPCS)]
        if versions:
            spans = "; ".join(
                f"{date_label(v.effective_from)} to {date_label(v.effective_to) or 'now'}" for v in versions
            )
            problems.append(
                _error(
                    PolicyProblemCode.CODE_NOT_EFFECTIVE,
                    loc,
                    f"{code} is not valid on {on}, when this version starts (valid {spans}).",
                    warning=True,
                )
            )
        else:
            problems.append(
                _error(
                    PolicyProblemCode.UNKNOWN_CODE, loc, f"{code} is not a CPT or HCPCS code in the code set."
                )
            )
    return problems


def _required_codes(
    codes: Sequence[str], loc: Sequence[str | int], *, catalog: CodeCatalog, on: date
) -> list[Problem]:
    if not codes:
        return [_error(PolicyProblemCode.EMPTY_LIST, loc, "List at least one code.")]
    return _code_problems(codes, loc, catalog=catalog, on=on)


def _credential_problems(credentials: Sequence[str], loc: Sequence[str | int]) -> list[Problem]:
    if not credentials:
        return [_error(PolicyProblemCode.EMPTY_LIST, loc, "List at least one credential.")]
    unknown = [c for c in credentials if c not in KNOWN_CREDENTIALS]
    if unknown:
        return [
            _error(
                PolicyProblemCode.UNKNOWN_CREDENTIAL,
                loc,
                f"Unknown credential(s) {', '.join(unknown)}; use {', '.join(sorted(KNOWN_CREDENTIALS))}.",
            )
        ]
    return []


def _range_problems(
    value: int | None, loc: Sequence[str | int], *, low: int, high: int, label: str
) -> list[Problem]:
    if value is None or low <= value <= high:
        return []
    return [_error(PolicyProblemCode.OUT_OF_RANGE, loc, f"{label} must be between {low} and {high}.")]


def _modifier_problems(policy: PayerPolicy) -> list[Problem]:
    coding = policy.coding
    problems: list[Problem] = []
    checks = (
        ("video_modifier", coding.video_modifier, VIDEO_MODIFIERS, "The audio-video telehealth modifier"),
        ("audio_only_modifier", coding.audio_only_modifier, AUDIO_ONLY_MODIFIERS, "The audio-only modifier"),
        ("distinct_modifier", coding.distinct_modifier, DISTINCT_MODIFIERS, "The distinct-service modifier"),
    )
    for name, value, allowed, label in checks:
        if value not in allowed:
            shown = ", ".join(a or "none" for a in allowed)
            problems.append(
                _error(
                    PolicyProblemCode.MODIFIER_NOT_ALLOWED,
                    ("coding", name),
                    f"{label} must be one of {shown}, not {value!r}.",
                )
            )
    return problems


def _coding_problems(policy: PayerPolicy, *, catalog: CodeCatalog, on: date) -> list[Problem]:
    problems = _modifier_problems(policy)
    for index, sub in enumerate(policy.coding.code_substitutions):
        loc: tuple[str | int, ...] = ("coding", "code_substitutions", index)
        problems += _required_codes((sub.from_code,), (*loc, "from_code"), catalog=catalog, on=on)
        problems += _required_codes((sub.to_code,), (*loc, "to_code"), catalog=catalog, on=on)
        if sub.from_code == sub.to_code:
            problems.append(
                _error(
                    PolicyProblemCode.SAME_CODE, (*loc, "to_code"), "A code cannot be substituted by itself."
                )
            )
        problems += _credential_problems(sorted(sub.credentials), (*loc, "credentials"))
    problems += _crosswalk_problems(policy, catalog=catalog, on=on)
    for code, units in policy.coding.max_units_per_day.items():
        loc = ("coding", "max_units_per_day", code)
        problems += _code_problems((code,), loc, catalog=catalog, on=on)
        problems += _range_problems(units, loc, low=1, high=MAX_UNITS_PER_DAY, label="Units per day")
    return problems


def _crosswalk_problems(policy: PayerPolicy, *, catalog: CodeCatalog, on: date) -> list[Problem]:
    """Each crosswalk: a code in the code set, for a single-code service, with known credentials,
    and no two entries for the same service type and credential (the first would always win)."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(policy.coding.crosswalk):
        loc: tuple[str | int, ...] = ("coding", "crosswalk", index)
        problems += _required_codes((entry.code,), (*loc, "code"), catalog=catalog, on=on)
        if entry.credentials:  # empty: whoever renders it
            problems += _credential_problems(sorted(entry.credentials), (*loc, "credentials"))
        label = SERVICE_TYPE_LABELS[entry.service_type]
        if not crosswalk_allowed(entry.service_type):
            problems.append(
                _error(
                    PolicyProblemCode.CROSSWALK_NOT_SINGLE_CODE,
                    (*loc, "service_type"),
                    f"{label} is coded by time bands or by the note; a crosswalk maps a service billed "
                    "with one code.",
                )
            )
        for credential in sorted(entry.credentials) or [""]:
            key = (entry.service_type.value, credential)
            if key in seen:
                who = f" by {credential}" if credential else ""
                problems.append(
                    _error(
                        PolicyProblemCode.DUPLICATE,
                        (*loc, "service_type"),
                        f"{label}{who} is already mapped by crosswalk rule {seen[key] + 1}.",
                    )
                )
            else:
                seen[key] = index
    return problems


def _duplicate_problems(groups: Sequence[Sequence[str]], section: str, label: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for index, codes in enumerate(groups):
        for code in codes:
            if code in seen:
                problems.append(
                    _error(
                        PolicyProblemCode.DUPLICATE,
                        (section, index, "codes"),
                        f"{code} is already in {label} rule {seen[code] + 1}.",
                    )
                )
            else:
                seen[code] = index
    return problems


def policy_problems(policy: PayerPolicy, *, catalog: CodeCatalog, on: date) -> list[Problem]:
    """Everything wrong with `policy` for a version starting on `on` (empty: it may be saved)."""
    problems = _coding_problems(policy, catalog=catalog, on=on)
    for index, rendering in enumerate(policy.rendering):
        problems += _credential_problems(rendering.credentials, ("rendering", index, "credentials"))
        problems += _code_problems(rendering.codes, ("rendering", index, "codes"), catalog=catalog, on=on)
    for index, auth in enumerate(policy.prior_auth):
        problems += _required_codes(auth.codes, ("prior_auth", index, "codes"), catalog=catalog, on=on)
        problems += _range_problems(
            auth.after_visits_per_year,
            ("prior_auth", index, "after_visits_per_year"),
            low=0,
            high=MAX_VISITS_PER_YEAR,
            label="Visits before an authorization is needed",
        )
    problems += _duplicate_problems([a.codes for a in policy.prior_auth], "prior_auth", "prior authorization")
    for index, limit in enumerate(policy.visit_limits):
        loc: tuple[str | int, ...] = ("visit_limits", index)
        if not limit.name:
            problems.append(
                _error(PolicyProblemCode.NAME_MISSING, (*loc, "name"), "Name the limit (e.g. Psychotherapy).")
            )
        elif len(limit.name) > NAME_MAX:
            problems.append(
                _error(
                    PolicyProblemCode.OUT_OF_RANGE,
                    (*loc, "name"),
                    f"Keep the name under {NAME_MAX} characters.",
                )
            )
        problems += _required_codes(limit.codes, (*loc, "codes"), catalog=catalog, on=on)
        problems += _range_problems(
            limit.visits_per_year,
            (*loc, "visits_per_year"),
            low=1,
            high=MAX_VISITS_PER_YEAR,
            label="Visits a year",
        )
    for index, age_rule in enumerate(policy.diagnosis_age):
        loc = ("diagnosis_age", index)
        if not _DX_PREFIX.match(age_rule.prefix):
            problems.append(
                _error(
                    PolicyProblemCode.DIAGNOSIS_PREFIX,
                    (*loc, "prefix"),
                    f"{age_rule.prefix!r} is not the start of an ICD-10-CM code (e.g. F93.0 or F90).",
                )
            )
        if age_rule.min_age is None and age_rule.max_age is None:
            problems.append(
                _error(PolicyProblemCode.AGE_RANGE, (*loc, "max_age"), "Give a minimum or a maximum age.")
            )
        problems += _range_problems(
            age_rule.min_age, (*loc, "min_age"), low=0, high=MAX_AGE, label="The minimum age"
        )
        problems += _range_problems(
            age_rule.max_age, (*loc, "max_age"), low=0, high=MAX_AGE, label="The maximum age"
        )
        if (
            age_rule.min_age is not None
            and age_rule.max_age is not None
            and age_rule.min_age > age_rule.max_age
        ):
            problems.append(
                _error(
                    PolicyProblemCode.AGE_RANGE,
                    (*loc, "max_age"),
                    "The maximum age is below the minimum age.",
                )
            )
        if len(age_rule.message) > MESSAGE_MAX:
            problems.append(
                _error(
                    PolicyProblemCode.OUT_OF_RANGE,
                    (*loc, "message"),
                    f"Keep the message under {MESSAGE_MAX} characters.",
                )
            )
    problems += _same_day_problems(policy, catalog=catalog, on=on)
    problems += _range_problems(
        policy.timely_filing_days, ("timely_filing_days",), low=1, high=MAX_DAYS, label="Timely filing days"
    )
    problems += _range_problems(
        policy.appeal_window_days, ("appeal_window_days",), low=1, high=MAX_DAYS, label="Appeal window days"
    )
    problems += _range_problems(
        policy.coding.evaluation_repeat_days,
        ("coding", "evaluation_repeat_days"),
        low=0,
        high=EVALUATION_REPEAT_MAX_DAYS,
        label="Days before a diagnostic evaluation may repeat",
    )
    return problems + _eligibility_problems(policy) + _correction_problems(policy)


def _same_day_problems(policy: PayerPolicy, *, catalog: CodeCatalog, on: date) -> list[Problem]:
    """A same-day rule overrides a default by name (its codes may stay empty: the default's) or
    is the payer's own (codes on both sides, none on both); each name once."""
    defaults = {rule.rule for rule in default_same_day_rules()}
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, rule in enumerate(policy.same_day):
        loc: tuple[str | int, ...] = ("same_day", index)
        if not rule.rule:
            problems.append(_error(PolicyProblemCode.NAME_MISSING, (*loc, "rule"), "Name the rule."))
        elif rule.rule in seen:
            problems.append(
                _error(
                    PolicyProblemCode.DUPLICATE, (*loc, "rule"), f"The rule {rule.rule!r} is listed twice."
                )
            )
        seen.add(rule.rule)
        if len(rule.why) > MESSAGE_MAX or len(rule.fix_hint) > MESSAGE_MAX:
            problems.append(
                _error(
                    PolicyProblemCode.OUT_OF_RANGE,
                    (*loc, "why"),
                    f"Keep the words under {MESSAGE_MAX} characters.",
                )
            )
        if rule.rule in defaults:
            problems += _code_problems(rule.codes, (*loc, "codes"), catalog=catalog, on=on)
            problems += _code_problems(rule.with_codes, (*loc, "with_codes"), catalog=catalog, on=on)
            continue
        problems += _required_codes(rule.codes, (*loc, "codes"), catalog=catalog, on=on)
        problems += _required_codes(rule.with_codes, (*loc, "with_codes"), catalog=catalog, on=on)
        if set(rule.codes) & set(rule.with_codes):
            problems.append(
                _error(
                    PolicyProblemCode.DUPLICATE,
                    (*loc, "with_codes"),
                    "A code cannot conflict with itself: list it on one side only.",
                )
            )
    return problems


MAX_VERIFY_WITHIN_DAYS = 365


def _eligibility_problems(policy: PayerPolicy) -> list[Problem]:
    rules = policy.eligibility
    problems = [
        _error(
            PolicyProblemCode.UNKNOWN_CODE,
            ("eligibility", "service_types"),
            f"{code!r} is not an X12 service type code (e.g. MH, A6, AI or 30).",
        )
        for code in rules.service_types
        if code not in SERVICE_TYPES
    ]
    return problems + _range_problems(
        rules.verify_within_days,
        ("eligibility", "verify_within_days"),
        low=0,
        high=MAX_VERIFY_WITHIN_DAYS,
        label="Days an eligibility check stays valid",
    )


# SBR05 values for Medicare as a secondary payer (the MSP type codes of the 837P guide).
MEDICARE_SECONDARY_TYPES = frozenset({"12", "13", "14", "15", "16", "41", "42", "43", "47"})


def _correction_problems(policy: PayerPolicy) -> list[Problem]:
    value = policy.corrections.medicare_secondary_type
    if value and value not in MEDICARE_SECONDARY_TYPES:
        return [
            _error(
                PolicyProblemCode.UNKNOWN_CODE,
                ("corrections", "medicare_secondary_type"),
                f"{value!r} is not a Medicare secondary payer type (12, 13, 14, 15, 16, 41, 42, 43 or 47).",
            )
        ]
    return []
