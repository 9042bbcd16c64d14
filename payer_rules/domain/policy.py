"""Payer rules as data: one payer's billing policy, versioned by effective date (pure).

A payer's rules live in versions (`payer_rules.PayerRuleSet` rows), each a JSON document in force
from `effective_from` to `effective_to` (open-ended when None). This module turns a document
into a frozen `PayerPolicy`, dumps it back (canonical form), picks the version in force on a
date (`policy_for`), and answers the questions the coding, the scrubber and the screens ask:
who may render a code and who goes on the claim, which codes need a prior authorization, visit
limits, diagnosis-age rules. Checking a document against the code set and the credentials is in
`payer_rules.domain.policy_checks`.

`PayerPolicy.coding` IS coding's `PayerCodingRules` (unit rule, practitioner-level modifiers,
telehealth POS and modifiers, code substitutions, crosswalks, daily unit maxima, distinct modifier): the
document's "coding" object has exactly its field names (without `label`), so those rules are
not duplicated here. Everything else is payer-side policy the coding engine does not apply.

Document (every key optional; defaults are the CPT rules alone and no payer limits):

    {"coding": {"unit_rule": "cpt_midpoint", "practitioner_modifiers": false,
                "telehealth_pos": "telehealth_pos", "video_modifier": "95",
                "audio_only_modifier": "93", "audio_only_allowed": true,
                "code_substitutions": [{"from_code": "97153", "to_code": "H2019", "credentials": ["RBT"]}],
                "max_units_per_day": {"97153": 32}, "distinct_modifier": "59",
                "crosswalk": [{"service_type": "case_management", "code": "T1017", "credentials": []}]},
     "rendering": [{"credentials": ["RBT", "BHT"], "codes": ["97153"], "billing": "with_supervisor"}],
     "unlisted_rendering": "rendering",
     "prior_auth": [{"codes": ["97153"], "after_visits_per_year": null}],
     "visit_limits": [{"name": "Psychotherapy", "codes": ["90834"], "visits_per_year": 52}],
     "diagnosis_age": [{"prefix": "F93.0", "min_age": null, "max_age": 17, "severity": "warning",
                        "message": ""}],
     "same_day": [{"rule": "diagnostic_evaluation_with_psychotherapy", "severity": "error"}],
     "billing_frequency": "per_session", "cosign_required": false,
     "timely_filing_days": null, "appeal_window_days": null,
     "eligibility": {"service_types": ["MH"], "verify_within_days": 30, "enrollment_required": false},
     "corrections": {"replacements": null, "voids": null, "replacement_lines": "all",
                     "secondary_filing_from": "date_of_service", "medicare_secondary_type": ""}}
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from pydantic import ConfigDict, TypeAdapter, ValidationError, with_config

from coding.domain.scope_of_practice import ScopeSource, scope_decision
from coding.domain.types import (
    CodeSubstitution,
    PayerCodingRules,
    PayerScope,
    PayerScopeRule,
    ServiceCrosswalk,
)
from core.domain.problems import Problem, Severity
from core.formatting import date_label
from payer_rules.domain.same_day import SameDayRule, normalised
from practice.domain.credentials import Credential

_FORBID_EXTRA = ConfigDict(extra="forbid")

_CREDENTIALS_BY_LOWER = {c.value.lower(): c.value for c in Credential}


class RenderingBilling(StrEnum):
    """Who may render a code, and who goes on the claim when they do."""

    RENDERING = "rendering"  # bills under their own NPI as the rendering provider
    WITH_SUPERVISOR = "with_supervisor"  # renders; the supervisor is the supervising provider (2310D)
    SUPERVISOR_RENDERS = "supervisor_renders"  # the supervisor is the claim's rendering provider
    NOT_ALLOWED = "not_allowed"  # the payer does not pay this code from this credential


RENDERING_BILLING_LABELS: Mapping[RenderingBilling, str] = MappingProxyType(
    {
        RenderingBilling.RENDERING: "Bills as the rendering provider",
        RenderingBilling.WITH_SUPERVISOR: "Renders; supervising provider on the claim",
        RenderingBilling.SUPERVISOR_RENDERS: "Billed under the supervisor as rendering provider",
        RenderingBilling.NOT_ALLOWED: "May not render",
    }
)


class BillingFrequency(StrEnum):
    PER_SESSION = "per_session"  # one claim per session
    PER_DAY = "per_day"  # one claim per patient and date of service
    WEEKLY = "weekly"  # one claim per week (Sunday to Saturday), a line per date of service
    MONTHLY = "monthly"  # one claim per month, a line per date of service


BILLING_FREQUENCY_LABELS: Mapping[BillingFrequency, str] = MappingProxyType(
    {
        BillingFrequency.PER_SESSION: "A claim per session",
        BillingFrequency.PER_DAY: "A claim per day",
        BillingFrequency.WEEKLY: "A claim per week (Sunday to Saturday), a line per date of service",
        BillingFrequency.MONTHLY: "A claim per month, a line per date of service",
    }
)


class PolicyProblemCode(StrEnum):
    # a document that cannot be read
    SHAPE = "rules_shape"
    UNKNOWN_KEY = "rules_unknown_key"
    # a document that breaks a rule (policy_checks)
    UNKNOWN_CODE = "rules_unknown_code"
    CODE_NOT_EFFECTIVE = "rules_code_not_effective"
    UNKNOWN_CREDENTIAL = "rules_unknown_credential"
    MODIFIER_NOT_ALLOWED = "rules_modifier_not_allowed"
    EMPTY_LIST = "rules_empty_list"
    DUPLICATE = "rules_duplicate"
    OUT_OF_RANGE = "rules_out_of_range"
    DIAGNOSIS_PREFIX = "rules_diagnosis_prefix"
    AGE_RANGE = "rules_age_range"
    SAME_CODE = "rules_substitution_same_code"
    CROSSWALK_NOT_SINGLE_CODE = "rules_crosswalk_not_single_code"
    NAME_MISSING = "rules_name_missing"
    # versions
    VERSION_DATES = "rule_set_dates_order"
    VERSION_OVERLAP = "rule_set_overlap"
    # findings when a policy is applied to a service
    CREDENTIAL_NOT_ALLOWED = "payer_credential_not_allowed"
    PRIOR_AUTH_REQUIRED = "payer_prior_auth_required"
    VISIT_LIMIT_REACHED = "payer_visit_limit_reached"
    DIAGNOSIS_AGE = "payer_diagnosis_age"


# ---- the policy ------------------------------------------------------------------------------------


@with_config(_FORBID_EXTRA)
@dataclass(frozen=True, slots=True)
class RenderingRule:
    """`credentials` rendering `codes` (empty: any code) bill as `billing`. First match wins."""

    credentials: tuple[str, ...]
    codes: tuple[str, ...] = ()
    billing: RenderingBilling = RenderingBilling.RENDERING

    def applies(self, *, credential: str, code: str) -> bool:
        return credential in self.credentials and (not self.codes or code in self.codes)


@with_config(_FORBID_EXTRA)
@dataclass(frozen=True, slots=True)
class PriorAuthRule:
    """`codes` need a prior authorization: always (None), or once `after_visits_per_year` visits
    with these codes were already billed in the calendar year (20: the 21st visit needs one)."""

    codes: tuple[str, ...]
    after_visits_per_year: int | None = None


@with_config(_FORBID_EXTRA)
@dataclass(frozen=True, slots=True)
class VisitLimit:
    """At most `visits_per_year` visits a calendar year with any of `codes` (e.g. 52 psychotherapy)."""

    name: str
    codes: tuple[str, ...]
    visits_per_year: int


@with_config(_FORBID_EXTRA)
@dataclass(frozen=True, slots=True)
class DiagnosisAgeRule:
    """A diagnosis starting with `prefix` is flagged outside [min_age, max_age] (whole years on the
    date of service; None: no bound). E.g. F93.0, separation anxiety of childhood, max_age 17."""

    prefix: str
    min_age: int | None = None
    max_age: int | None = None
    severity: Severity = Severity.WARNING
    message: str = ""


@with_config(_FORBID_EXTRA)
@dataclass(frozen=True, slots=True)
class EligibilityRules:
    """How the payer's eligibility is checked (issue #10, pitfalls E2 and E9).

    `service_types`: the X12 service type codes the 270 asks about, one per request by default
    (MH, mental health); `verify_within_days`: a check for a date of service this many days
    away or fewer counts as verified for a claim; `enrollment_required`: the payer answers
    eligibility only for enrolled providers (CMS, some Medicaid plans)."""

    service_types: tuple[str, ...] = ("MH",)
    verify_within_days: int = 30
    enrollment_required: bool = False


class ReplacementLines(StrEnum):
    ALL = "all"  # a replacement (frequency 7) carries every line of the claim it replaces (C17)
    CHANGED = "changed"  # the payer takes a replacement of only the lines being corrected


class SecondaryFilingFrom(StrEnum):
    DATE_OF_SERVICE = "date_of_service"
    PRIMARY_ADJUDICATION = "primary_adjudication"  # the earlier payer's 835 date (D2)


@with_config(_FORBID_EXTRA)
@dataclass(frozen=True, slots=True)
class CorrectionRules:
    """Corrections and coordination of benefits (issue #11; pitfalls C3, C7, C17, D2).

    `replacements`/`voids`: whether the payer takes frequency 7/8 claims electronically; None is
    the payer kind's default (Medicare takes neither: its corrections are reopenings).
    `replacement_lines`: what a replacement carries. `secondary_filing_from`: when this payer's
    timely-filing clock starts for a claim it receives as secondary or tertiary.
    `medicare_secondary_type`: SBR05 (e.g. 12, 43, 47) sent when this payer is Medicare and not
    the primary; a Medicare-secondary claim without it is held (C3)."""

    replacements: bool | None = None
    voids: bool | None = None
    replacement_lines: ReplacementLines = ReplacementLines.ALL
    secondary_filing_from: SecondaryFilingFrom = SecondaryFilingFrom.DATE_OF_SERVICE
    medicare_secondary_type: str = ""


@with_config(_FORBID_EXTRA)
@dataclass(frozen=True, slots=True)
class PayerPolicy:
    """One payer's rules on one date. `timely_filing_days`/`appeal_window_days` None in a document
    mean "the payer's own fields"; `payer_rules.selectors.payer_policy_on` fills them in."""

    coding: PayerCodingRules = field(default_factory=PayerCodingRules)
    rendering: tuple[RenderingRule, ...] = ()
    unlisted_rendering: RenderingBilling = RenderingBilling.RENDERING
    prior_auth: tuple[PriorAuthRule, ...] = ()
    visit_limits: tuple[VisitLimit, ...] = ()
    diagnosis_age: tuple[DiagnosisAgeRule, ...] = ()
    same_day: tuple[SameDayRule, ...] = ()  # overrides of the same-day conflict table (same_day.py)
    billing_frequency: BillingFrequency = BillingFrequency.PER_SESSION
    cosign_required: bool = False
    timely_filing_days: int | None = None
    appeal_window_days: int | None = None
    eligibility: EligibilityRules = field(default_factory=EligibilityRules)
    corrections: CorrectionRules = field(default_factory=CorrectionRules)
    rule_set_id: int | None = None  # the version it came from (None: kind defaults); not in documents


DOCUMENT_KEYS = frozenset(f.name for f in dataclasses.fields(PayerPolicy)) - {"rule_set_id"}
# `scope` is not written in documents: it is read from the "rendering" rules (`payer_scope`).
CODING_KEYS = frozenset(f.name for f in dataclasses.fields(PayerCodingRules)) - {
    "label",
    "scope",
    "telehealth_configured",
}

_POLICY_ADAPTER: TypeAdapter[PayerPolicy] = TypeAdapter(PayerPolicy)

_SECTION_LABELS = {
    "coding": "Coding",
    "code_substitutions": "Code substitution",
    "crosswalk": "Crosswalk",
    "max_units_per_day": "Maximum units per day",
    "rendering": "Who renders",
    "prior_auth": "Prior authorization",
    "visit_limits": "Visit limit",
    "diagnosis_age": "Diagnosis and age",
    "same_day": "Same-day conflict",
    "eligibility": "Eligibility",
    "corrections": "Corrections",
}


def field_path(loc: Sequence[str | int]) -> str:
    """('prior_auth', 0, 'codes') -> 'prior_auth[0].codes' (the path forms and the API use)."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _where(loc: Sequence[str | int]) -> str:
    """A person's words for a place in the document: 'Prior authorization rule 1, codes'."""
    words: list[str] = []
    for index, part in enumerate(loc):
        if isinstance(part, int):
            continue
        label = _SECTION_LABELS.get(part)
        following = loc[index + 1] if index + 1 < len(loc) else None
        if label and isinstance(following, int):
            words.append(f"{label} rule {following + 1}")
        elif label and part == "max_units_per_day" and following is not None:
            words.append(f"{label} for {following}")
            break
        elif label and part != "coding":
            words.append(label)
        elif part != "coding":
            words.append(part.replace("_", " "))
    text = ", ".join(words) or "the rules"
    return text[:1].upper() + text[1:]


def _problem(
    code: PolicyProblemCode, loc: Sequence[str | int], message: str, *, warning: bool = False
) -> Problem:
    return Problem(
        code=code,
        message=f"{_where(loc)}: {message}",
        field=field_path(loc),
        severity=Severity.WARNING if warning else Severity.ERROR,
    )


def _codes(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip().upper() for v in values if v.strip()))


def _credential(value: str) -> str:
    cleaned = value.strip()
    return _CREDENTIALS_BY_LOWER.get(cleaned.lower(), cleaned)


def _credentials(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_credential(v) for v in values if v.strip()))


def _normalized(policy: PayerPolicy, *, label: str, rule_set_id: int | None) -> PayerPolicy:
    coding = policy.coding
    coding = replace(
        coding,
        label=label or coding.label,
        video_modifier=coding.video_modifier.strip().upper(),
        audio_only_modifier=coding.audio_only_modifier.strip().upper(),
        distinct_modifier=coding.distinct_modifier.strip().upper(),
        code_substitutions=tuple(
            CodeSubstitution(
                from_code=s.from_code.strip().upper(),
                to_code=s.to_code.strip().upper(),
                credentials=frozenset(_credentials(tuple(s.credentials))),
            )
            for s in coding.code_substitutions
        ),
        max_units_per_day=MappingProxyType(
            {code.strip().upper(): units for code, units in sorted(coding.max_units_per_day.items())}
        ),
        crosswalk=tuple(
            ServiceCrosswalk(
                service_type=c.service_type,
                code=c.code.strip().upper(),
                credentials=frozenset(_credentials(tuple(c.credentials))),
            )
            for c in coding.crosswalk
        ),
    )
    rendering = tuple(
        replace(r, credentials=_credentials(r.credentials), codes=_codes(r.codes)) for r in policy.rendering
    )
    coding = replace(coding, scope=payer_scope(rendering, policy.unlisted_rendering))
    return replace(
        policy,
        coding=coding,
        rule_set_id=rule_set_id,
        rendering=rendering,
        prior_auth=tuple(replace(r, codes=_codes(r.codes)) for r in policy.prior_auth),
        visit_limits=tuple(
            replace(v, name=v.name.strip(), codes=_codes(v.codes)) for v in policy.visit_limits
        ),
        diagnosis_age=tuple(
            replace(d, prefix=d.prefix.strip().upper(), message=d.message.strip())
            for d in policy.diagnosis_age
        ),
        same_day=tuple(normalised(r) for r in policy.same_day),
        eligibility=replace(
            policy.eligibility, service_types=_codes(policy.eligibility.service_types) or ("MH",)
        ),
    )


def _plain(message: str) -> str:
    """Pydantic's words with our JSON vocabulary ("a valid tuple" is a list in the document)."""
    return (
        message.replace("valid tuple", "list").replace("valid frozenset", "list").replace("Input s", "S")
        + "."
    )


def policy_from_document(
    document: object, *, label: str = "", rule_set_id: int | None = None
) -> tuple[PayerPolicy | None, list[Problem]]:
    """Read a rules document: (the policy, []) or (None, what is wrong with its shape).

    Shape only (types, choices, unknown keys); `policy_checks.policy_problems` checks the codes,
    credentials, modifiers and ranges. Strings are normalised (codes upper case, credentials
    spelled as practice.domain.credentials spells them).
    """
    if not isinstance(document, Mapping):
        return None, [_problem(PolicyProblemCode.SHAPE, (), "must be a JSON object.")]
    problems = [
        _problem(PolicyProblemCode.UNKNOWN_KEY, (key,), f"unknown rule {key!r}.")
        for key in sorted(set(document) - DOCUMENT_KEYS, key=str)
    ]
    coding = document.get("coding", {})
    if isinstance(coding, Mapping):
        problems += [
            _problem(PolicyProblemCode.UNKNOWN_KEY, ("coding", key), f"unknown coding rule {key!r}.")
            for key in sorted(set(coding) - CODING_KEYS, key=str)
        ]
    if problems:
        return None, problems
    try:
        policy = _POLICY_ADAPTER.validate_python(dict(document))
    except ValidationError as error:
        return None, [
            _problem(PolicyProblemCode.SHAPE, tuple(e["loc"]), _plain(e["msg"])) for e in error.errors()
        ]
    policy = _normalized(policy, label=label, rule_set_id=rule_set_id)
    # An admin's rules document answers the telehealth questions (the rules form always shows
    # them); only a payer without one runs on assumed telehealth defaults (pitfall C12).
    return replace(policy, coding=replace(policy.coding, telehealth_configured=True)), []


def policy_document(policy: PayerPolicy) -> dict[str, Any]:
    """The canonical JSON document of a policy (what a rule set stores)."""
    coding = replace(policy.coding, max_units_per_day=dict(sorted(policy.coding.max_units_per_day.items())))
    data: dict[str, Any] = _POLICY_ADAPTER.dump_python(replace(policy, coding=coding), mode="json")
    data.pop("rule_set_id", None)
    data["coding"].pop("label", None)
    data["coding"].pop("scope", None)
    data["coding"].pop("telehealth_configured", None)
    for substitution in data["coding"]["code_substitutions"]:
        substitution["credentials"] = sorted(substitution["credentials"])
    for entry in data["coding"]["crosswalk"]:
        entry["credentials"] = sorted(entry["credentials"])
    return data


def default_policy(
    coding: PayerCodingRules, *, timely_filing_days: int | None = None, appeal_window_days: int | None = None
) -> PayerPolicy:
    """A policy with only coding rules (a payer without a rule set in force)."""
    return PayerPolicy(
        coding=coding, timely_filing_days=timely_filing_days, appeal_window_days=appeal_window_days
    )


def with_payer_windows(
    policy: PayerPolicy, *, timely_filing_days: int, appeal_window_days: int
) -> PayerPolicy:
    """Fill the windows a document leaves to the payer's own fields."""
    return replace(
        policy,
        timely_filing_days=policy.timely_filing_days
        if policy.timely_filing_days is not None
        else timely_filing_days,
        appeal_window_days=policy.appeal_window_days
        if policy.appeal_window_days is not None
        else appeal_window_days,
    )


# ---- versions --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VersionSpan:
    rule_set_id: int | None
    effective_from: date
    effective_to: date | None

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


@dataclass(frozen=True, slots=True)
class RuleSetVersion:
    span: VersionSpan
    policy: PayerPolicy


def version_in_force(versions: Sequence[RuleSetVersion], *, on: date) -> RuleSetVersion | None:
    """The version in force on `on` (if versions overlap, which the services prevent: the later start)."""
    in_force = [v for v in versions if v.span.in_force_on(on)]
    if not in_force:
        return None
    return max(in_force, key=lambda v: (v.span.effective_from, v.span.rule_set_id or 0))


def policy_for(versions: Sequence[RuleSetVersion], *, on: date) -> PayerPolicy | None:
    """The policy of the version in force on `on`, or None when no version covers the date."""
    version = version_in_force(versions, on=on)
    return version.policy if version is not None else None


def version_dates_problems(effective_from: date, effective_to: date | None) -> list[Problem]:
    if effective_to is not None and effective_to < effective_from:
        return [
            Problem(
                code=PolicyProblemCode.VERSION_DATES,
                message="The end date cannot be before the start date.",
                field="effective_to",
            )
        ]
    return []


def version_to_close(new_from: date, others: Sequence[VersionSpan]) -> VersionSpan | None:
    """The open-ended version that started before `new_from`: a new version ends it the day before."""
    open_before = [s for s in others if s.effective_to is None and s.effective_from < new_from]
    return max(open_before, key=lambda s: s.effective_from) if open_before else None


def version_overlap_problems(candidate: VersionSpan, others: Sequence[VersionSpan]) -> list[Problem]:
    """A payer's versions never share a day (inclusive ranges; None = open-ended)."""
    problems: list[Problem] = []
    for other in sorted(others, key=lambda s: s.effective_from):
        if other.rule_set_id is not None and other.rule_set_id == candidate.rule_set_id:
            continue
        a_end = candidate.effective_to or date.max
        b_end = other.effective_to or date.max
        if candidate.effective_from <= b_end and other.effective_from <= a_end:
            until = f"to {date_label(other.effective_to)}" if other.effective_to else "with no end date"
            problems.append(
                Problem(
                    code=PolicyProblemCode.VERSION_OVERLAP,
                    message=(
                        f"These dates overlap the version from {date_label(other.effective_from)} {until}; "
                        "a payer has one version in force on any date."
                    ),
                    field="effective_from",
                )
            )
    return problems


# ---- questions the coding, the scrubber and the screens ask ----------------------------------------


@dataclass(frozen=True, slots=True)
class RenderingDecision:
    code: str
    credential: str
    billing: RenderingBilling
    rule_index: int | None  # None: the rule for credentials and codes no rule lists
    why: str
    message: str = ""  # a refusal in plain words ("" when allowed)
    fix_hint: str = ""

    @property
    def allowed(self) -> bool:
        return self.billing is not RenderingBilling.NOT_ALLOWED

    @property
    def supervisor_on_claim(self) -> bool:
        return self.billing in (RenderingBilling.WITH_SUPERVISOR, RenderingBilling.SUPERVISOR_RENDERS)


def payer_scope(rendering: Sequence[RenderingRule], unlisted: RenderingBilling) -> PayerScope:
    """The payer's "who renders" rules as coding's scope overrides (one meaning, both places):
    "may not render" narrows, any other billing for named codes widens, and "anyone else may not
    render" limits the payer to the credentials its rules list."""
    return PayerScope(
        rules=tuple(
            PayerScopeRule(
                credentials=frozenset(r.credentials),
                codes=frozenset(r.codes),
                allowed=r.billing is not RenderingBilling.NOT_ALLOWED,
            )
            for r in rendering
        ),
        unlisted_allowed=unlisted is not RenderingBilling.NOT_ALLOWED,
    )


def rendering_decision(policy: PayerPolicy, *, credential: str, code: str) -> RenderingDecision:
    """Whether `credential` may render `code` for this payer, and who goes on the claim.

    Whether: `coding.domain.scope_of_practice.scope_decision` (the national table as this payer's
    rules narrow or widen it), the rule the coding engine applies too. Who goes on the claim: the
    first rule that lists the credential and the code (or any code), else `unlisted_rendering`.
    """
    credential = _credential(credential)
    code = code.strip().upper()
    scope = (
        payer_scope(policy.rendering, policy.unlisted_rendering)
        if policy.rendering or policy.unlisted_rendering is RenderingBilling.NOT_ALLOWED
        else policy.coding.scope
    )
    decision = scope_decision(credential=credential, code=code, payer=scope, payer_label=policy.coding.label)
    if not decision.allowed:
        return RenderingDecision(
            code=code,
            credential=credential,
            billing=RenderingBilling.NOT_ALLOWED,
            rule_index=decision.rule_index,
            why=decision.why,
            message=decision.message,
            fix_hint=decision.fix_hint,
        )
    widened = f" {decision.why}" if decision.source is ScopeSource.PAYER_WIDENS else ""
    for index, rule in enumerate(policy.rendering):
        if rule.applies(credential=credential, code=code):
            return RenderingDecision(
                code=code,
                credential=credential,
                billing=rule.billing,
                rule_index=index,
                why=(
                    f"{code} rendered by {credential}: "
                    f"{RENDERING_BILLING_LABELS[rule.billing].lower()} (rule {index + 1}).{widened}"
                ),
            )
    billing = policy.unlisted_rendering
    return RenderingDecision(
        code=code,
        credential=credential,
        billing=billing,
        rule_index=None,
        why=f"{code} rendered by {credential}: no rule lists it; {RENDERING_BILLING_LABELS[billing].lower()}.",
    )


def codes_needing_prior_auth(policy: PayerPolicy) -> frozenset[str]:
    """Every code some prior-authorization rule names (always or after N visits)."""
    return frozenset(code for rule in policy.prior_auth for code in rule.codes)


def prior_auth_rule(policy: PayerPolicy, *, code: str, visits_before: int = 0) -> PriorAuthRule | None:
    """The rule that makes `code` need a prior authorization, given the visits with the rule's codes
    already billed this calendar year (not counting this one); None when none is needed."""
    code = code.strip().upper()
    for rule in policy.prior_auth:
        if code not in rule.codes:
            continue
        if rule.after_visits_per_year is None or visits_before >= rule.after_visits_per_year:
            return rule
    return None


def visit_limit_problems(policy: PayerPolicy, *, code: str, visits_before: int) -> list[Problem]:
    """A visit over a yearly limit: `visits_before` visits with the limit's codes this calendar year
    were already billed (52 allowed: the 53rd is over)."""
    code = code.strip().upper()
    return [
        Problem(
            code=PolicyProblemCode.VISIT_LIMIT_REACHED,
            message=(
                f"{limit.name}: {visits_before} visit(s) this calendar year already; the payer pays "
                f"{limit.visits_per_year} a year, so {code} would be over the limit."
            ),
            field="lines",
            fix_hint="Check for a limit exception or an authorization for more visits.",
        )
        for limit in policy.visit_limits
        if code in limit.codes and visits_before >= limit.visits_per_year
    ]


def age_on(birth: date, day: date) -> int:
    """Whole years of age on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _dx_key(code: str) -> str:
    return code.strip().upper().replace(".", "")


def diagnosis_age_problems(policy: PayerPolicy, *, diagnoses: Sequence[str], age: int) -> list[Problem]:
    """Diagnoses the payer flags at this age (e.g. a childhood-only diagnosis on an adult)."""
    problems: list[Problem] = []
    for index, diagnosis in enumerate(diagnoses):
        for rule in policy.diagnosis_age:
            if not _dx_key(diagnosis).startswith(_dx_key(rule.prefix)):
                continue
            too_young = rule.min_age is not None and age < rule.min_age
            too_old = rule.max_age is not None and age > rule.max_age
            if not (too_young or too_old):
                continue
            bounds = f"{rule.min_age if rule.min_age is not None else 0}-{rule.max_age if rule.max_age is not None else 'any'}"
            problems.append(
                Problem(
                    code=PolicyProblemCode.DIAGNOSIS_AGE,
                    message=rule.message
                    or f"{diagnosis.strip().upper()} is expected at ages {bounds}; the patient is {age}.",
                    field=f"diagnoses[{index}]",
                    severity=rule.severity,
                    fix_hint="Check the diagnosis and the date of birth.",
                )
            )
    return problems


@dataclass(frozen=True, slots=True)
class PolicyReview:
    """The payer-side findings on a coded service (what the coding engine does not check)."""

    problems: tuple[Problem, ...]
    why: tuple[str, ...]
    rendering: tuple[RenderingDecision, ...]
    prior_auth_codes: tuple[str, ...]


def policy_review(
    policy: PayerPolicy,
    *,
    codes: Sequence[str],
    credential: str,
    diagnoses: Sequence[str] = (),
    patient_age: int | None = None,
    visits_before: int = 0,
    report_rendering: bool = True,
) -> PolicyReview:
    """Apply the payer-side rules to the codes of a coded service.

    `visits_before` is the visits already billed this calendar year with the codes of each
    prior-authorization and visit-limit rule (one number for all of them: enough for the
    "try it" panel; the scrubber asks `prior_auth_rule`/`visit_limit_problems` per rule).
    `report_rendering` False: who may render is listed in `rendering` but not reported as a
    problem (the coding engine, asking the same rule, has reported it already).
    """
    problems: list[Problem] = []
    why: list[str] = []
    decisions: list[RenderingDecision] = []
    needing_auth: list[str] = []
    for code in dict.fromkeys(c.strip().upper() for c in codes):
        if credential.strip():
            decision = rendering_decision(policy, credential=credential, code=code)
            decisions.append(decision)
            why.append(decision.why)
            if not decision.allowed and report_rendering:
                problems.append(
                    Problem(
                        code=PolicyProblemCode.CREDENTIAL_NOT_ALLOWED,
                        message=decision.message,
                        field="rendering_credential",
                        fix_hint=decision.fix_hint,
                    )
                )
        rule = prior_auth_rule(policy, code=code, visits_before=visits_before)
        if rule is not None:
            needing_auth.append(code)
            when = (
                "always"
                if rule.after_visits_per_year is None
                else f"after {rule.after_visits_per_year} visits a calendar year"
            )
            problems.append(
                Problem(
                    code=PolicyProblemCode.PRIOR_AUTH_REQUIRED,
                    message=f"{code} needs a prior authorization ({when}).",
                    field="lines",
                    severity=Severity.WARNING,
                    fix_hint="Record the authorization before the claim goes out.",
                )
            )
        problems += visit_limit_problems(policy, code=code, visits_before=visits_before)
    if not credential.strip() and codes:
        why.append("No rendering credential given: who may render was not checked.")
    if patient_age is not None and diagnoses:
        problems += diagnosis_age_problems(policy, diagnoses=diagnoses, age=patient_age)
    why.append(f"Billing: {BILLING_FREQUENCY_LABELS[policy.billing_frequency].lower()}.")
    if policy.cosign_required:
        why.append("The payer requires the note's co-signature before the service is billed.")
    if policy.timely_filing_days is not None:
        why.append(f"Timely filing: {policy.timely_filing_days} days from the date of service.")
    return PolicyReview(
        problems=tuple(problems),
        why=tuple(why),
        rendering=tuple(decisions),
        prior_auth_codes=tuple(needing_auth),
    )


@dataclass(frozen=True, slots=True)
class PolicyTimeline:
    """Every version of one payer's rules, and what applies on a date when none is in force.

    `fallback` is the policy for dates no version covers (coding's defaults for the payer's
    kind); the payer's own timely-filing and appeal windows fill what a document leaves open.
    """

    versions: tuple[RuleSetVersion, ...]
    fallback: PayerPolicy
    timely_filing_days: int
    appeal_window_days: int

    def on(self, day: date) -> PayerPolicy:
        policy = policy_for(self.versions, on=day)
        return with_payer_windows(
            policy if policy is not None else self.fallback,
            timely_filing_days=self.timely_filing_days,
            appeal_window_days=self.appeal_window_days,
        )
