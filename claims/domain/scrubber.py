"""The claim scrubber: every predictable denial, found before a claim exists.

`scrub(claim)` is a pure function over a `ClaimToBe` (claims.domain.types) and returns a list of
`Problem`s, each with a stable code (`ScrubCode`), a severity, a plain message, a fix hint and a
field path into the claim-to-be (`lines[0].modifiers`, `coverage`, `rendering_provider.npi`...).
Errors block the claim; warnings are shown.

Thresholds and sources (../shared/DOMAIN-coding-facts.md): psychotherapy time bands and crisis
units (section 1, via `coding.domain.units`), 15-minute units by the CPT midpoint or CMS
8-minute rule (section 2), telehealth POS 02/10 and modifiers (section 4), add-on pairing
(`coding.domain.rules.add_on_problems`), NPI check digits (section 8, `core.domain.identifiers`),
timely filing (section 9: a warning from 14 days before the deadline), 42 CFR Part 2 TPO consent
(section 9, `patients.domain.consents`).

Lines with 0 units are not billed (a biller zeroes a line to drop it) and are skipped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import timedelta
from enum import StrEnum

from authorizations.domain.matching import authorization_check
from authorizations.domain.types import AuthorizationProblemCode, ServiceToAuthorize
from claims.domain.types import ClaimProvider, ClaimToBe, LineFacts
from coding.domain.families import coding_data
from coding.domain.rules import add_on_problems
from coding.domain.types import TelehealthPos, UnitRule
from coding.domain.units import (
    CRISIS_MIN_MINUTES,
    FAMILY_MIN_MINUTES,
    crisis_add_on_units,
    midpoint_units,
    psychotherapy_band,
)
from core.domain.identifiers import member_id_problems, npi_problems
from core.domain.problems import Problem, Severity
from patients.domain.consents import part2_consent_active
from payer_rules.domain.policy import (
    RenderingBilling,
    RenderingDecision,
    age_on,
    diagnosis_age_problems,
    rendering_decision,
)

TIMELY_FILING_WARNING_DAYS = 14
MAX_LINE_POINTERS = 4
TELEHEALTH_POS = frozenset({"02", "10"})
TELEHEALTH_MODIFIERS = frozenset({"95", "93", "GT", "GQ", "FQ"})
LEVEL_MODIFIERS = frozenset({"HM", "HN", "HO", "HP"})
STANDALONE_PSYCHOTHERAPY = frozenset({"90832", "90834", "90837"})
PSYCHOTHERAPY_WITH_EM = frozenset({"90833", "90836", "90838"})
FAMILY_CODES = frozenset({"90846", "90847"})


class ScrubCode(StrEnum):
    """Stable codes for every scrubber finding (screens, the API and tests key on them)."""

    # Coverage
    SELF_PAY = "self_pay"
    COVERAGE_NOT_ACTIVE = "coverage_not_active"
    MEMBER_ID_INVALID = "member_id_invalid"
    ELIGIBILITY_NOT_VERIFIED = "eligibility_not_verified"
    # Prior authorization
    AUTH_MISSING = "auth_missing"
    AUTH_DATES = "auth_dates"
    AUTH_OTHER_PROVIDER = "auth_other_provider"
    AUTH_UNITS_EXHAUSTED = "auth_units_exhausted"
    # The note
    NOTE_NOT_FINAL = "note_not_final"
    NOTE_NOT_COSIGNED = "note_not_cosigned"
    # Providers
    RENDERING_MISSING = "rendering_missing"
    PROVIDER_NOT_ENROLLED = "provider_not_enrolled"
    LICENSE_NOT_VALID = "license_not_valid"
    CREDENTIAL_CANNOT_RENDER = "credential_cannot_render"
    SUPERVISOR_REQUIRED = "supervisor_required"
    NPI_MISSING = "npi_missing"
    NPI_INVALID = "npi_invalid"
    # Diagnoses
    DIAGNOSIS_MISSING = "diagnosis_missing"
    DIAGNOSIS_NOT_BILLABLE = "diagnosis_not_billable"
    DIAGNOSIS_AGE = "diagnosis_age"
    POINTER_MISSING = "pointer_missing"
    POINTER_INVALID = "pointer_invalid"
    # Codes, time and units
    CODE_UNKNOWN = "code_unknown"
    MINUTES_MISMATCH = "minutes_mismatch"
    UNITS_INVALID = "units_invalid"
    UNITS_EXCEED_MINUTES = "units_exceed_minutes"
    UNITS_OVER_DAILY_MAX = "units_over_daily_max"
    ADD_ON_WITHOUT_PRIMARY = "add_on_without_primary"
    ADD_ON_NOT_ALLOWED = "add_on_not_allowed"
    # Modifiers and place of service
    MODIFIER_MISSING = "modifier_missing"
    MODIFIER_NOT_EXPECTED = "modifier_not_expected"
    MODIFIER_UNKNOWN = "modifier_unknown"
    POS_UNKNOWN = "pos_unknown"
    POS_TELEHEALTH_MISMATCH = "pos_telehealth_mismatch"
    # Other lines, deadlines, consent, limits
    DUPLICATE_LINE = "duplicate_line"
    TIMELY_FILING_PASSED = "timely_filing_passed"
    TIMELY_FILING_NEAR = "timely_filing_near"
    PART2_CONSENT_MISSING = "part2_consent_missing"
    VISIT_LIMIT_REACHED = "visit_limit_reached"
    NOTHING_TO_BILL = "nothing_to_bill"


def _error(code: ScrubCode, message: str, field: str, fix_hint: str = "") -> Problem:
    return Problem(code=code, message=message, field=field, severity=Severity.ERROR, fix_hint=fix_hint)


def _warning(code: ScrubCode, message: str, field: str, fix_hint: str = "") -> Problem:
    return Problem(code=code, message=message, field=field, severity=Severity.WARNING, fix_hint=fix_hint)


def _billed(claim: ClaimToBe) -> list[tuple[int, LineFacts]]:
    """(index, line) for the lines that go on the claim (units other than 0)."""
    return [(i, line) for i, line in enumerate(claim.lines) if line.units != 0]


def _payer(claim: ClaimToBe) -> str:
    """How messages name the payer's rules ("Medicaid Plan (rules from 2026-01-01)")."""
    return claim.policy.coding.label


def _label(line: LineFacts) -> str:
    return "-".join((line.code, *line.modifiers))


# ---- coverage ----------------------------------------------------------------------------------


def check_coverage(claim: ClaimToBe) -> list[Problem]:
    coverage = claim.coverage
    if coverage is None:
        if not claim.self_pay:
            return [
                _error(
                    ScrubCode.COVERAGE_NOT_ACTIVE,
                    "No coverage is attached to these charges.",
                    "coverage",
                    "Add the patient's coverage, or mark the charges self-pay.",
                )
            ]
        return [
            _warning(
                ScrubCode.SELF_PAY,
                f"The patient has no primary coverage active on {claim.date_of_service}: the charges are "
                "billed to the patient (self-pay).",
                "coverage",
                "If the patient has insurance, add the coverage and re-scrub.",
            )
        ]
    problems: list[Problem] = []
    dos = claim.date_of_service
    if dos < coverage.effective_on:
        problems.append(
            _error(
                ScrubCode.COVERAGE_NOT_ACTIVE,
                f"The coverage with {coverage.payer_name} starts on {coverage.effective_on}, after the date "
                f"of service {dos}.",
                "coverage.effective_on",
                "Check the coverage dates, or bill the payer that covered the patient on that date.",
            )
        )
    elif coverage.terminates_on is not None and dos > coverage.terminates_on:
        problems.append(
            _error(
                ScrubCode.COVERAGE_NOT_ACTIVE,
                f"The coverage with {coverage.payer_name} ended on {coverage.terminates_on}, before the date "
                f"of service {dos}.",
                "coverage.terminates_on",
                "Check the coverage dates, or bill the payer that covered the patient on that date.",
            )
        )
    problems.extend(
        _error(
            ScrubCode.MEMBER_ID_INVALID,
            p.message,
            "coverage.member_id",
            "Copy the member ID from the insurance card.",
        )
        for p in member_id_problems(coverage.member_id)
    )
    if coverage.eligibility_verified is False:
        problems.append(
            _warning(
                ScrubCode.ELIGIBILITY_NOT_VERIFIED,
                f"Eligibility with {coverage.payer_name} was not verified for {dos}.",
                "coverage.eligibility",
                "Run an eligibility check for the date of service.",
            )
        )
    return problems


# ---- prior authorization -----------------------------------------------------------------------


AUTH_CODES = {
    AuthorizationProblemCode.MISSING: ScrubCode.AUTH_MISSING,
    AuthorizationProblemCode.CANCELLED: ScrubCode.AUTH_MISSING,
    AuthorizationProblemCode.OUTSIDE_DATES: ScrubCode.AUTH_DATES,
    AuthorizationProblemCode.OTHER_PROVIDER: ScrubCode.AUTH_OTHER_PROVIDER,
    AuthorizationProblemCode.UNITS_EXCEEDED: ScrubCode.AUTH_UNITS_EXHAUSTED,
}


def check_prior_authorization(claim: ClaimToBe) -> list[Problem]:
    """Codes the payer wants authorized (always, or once N visits with the rule's codes were
    billed this calendar year: 20 allowed, the 21st needs one) need an authorization for the
    patient, payer and code that covers the date of service (and the rendering provider, when
    it names one) with the units (or a visit) left (`authorizations.domain.matching`)."""
    coverage = claim.coverage
    if coverage is None:
        return []
    problems: list[Problem] = []
    units_by_code: dict[str, int] = defaultdict(int)
    first_line: dict[str, int] = {}
    for index, line in _billed(claim):
        units_by_code[line.code] += line.units
        first_line.setdefault(line.code, index)
    for code, units in units_by_code.items():
        rules = [r for r in claim.policy.prior_auth if code in r.codes]
        required = [
            r
            for r in rules
            if r.after_visits_per_year is None or claim.visits_before(r.codes) >= r.after_visits_per_year
        ]
        if not required:
            continue
        after = required[0].after_visits_per_year
        service = ServiceToAuthorize(
            patient_id=claim.patient.patient_id,
            payer_id=coverage.payer_id,
            code=code,
            on=claim.date_of_service,
            provider_id=claim.rendering.provider_id if claim.rendering is not None else None,
            units=units,
        )
        for found in authorization_check(service, claim.authorizations).problems:
            when = "" if after is None else f" (required after {after} visits a year)"
            problems.append(
                _error(
                    AUTH_CODES.get(AuthorizationProblemCode(found.code), ScrubCode.AUTH_MISSING),
                    f"{_payer(claim)}: {found.message}{when}",
                    f"lines[{first_line[code]}].auth_number",
                    found.fix_hint,
                )
            )
    return problems


# ---- the note ----------------------------------------------------------------------------------


def check_note(claim: ClaimToBe) -> list[Problem]:
    note = claim.note
    if not note.is_final:
        return [
            _error(
                ScrubCode.NOTE_NOT_FINAL,
                f"The session note is {note.status.replace('_', ' ')}, not final.",
                "note.status",
                "Bill only once the note is signed (and co-signed where required).",
            )
        ]
    # As the notes decide it: a payer's co-signature rule binds authors who work under a
    # supervisor (by credential, or with a supervisor of record on the date); an independently
    # licensed clinician with nobody to co-sign signs alone.
    supervised = note.author_has_supervisor or (claim.rendering is not None and claim.rendering.supervised)
    payer_wants = claim.coverage is not None and claim.policy.cosign_required and supervised
    if (note.requires_cosign or payer_wants) and not note.cosigned:
        who = _payer(claim) if payer_wants and not note.requires_cosign else "This note"
        return [
            _error(
                ScrubCode.NOTE_NOT_COSIGNED,
                f"{who} requires a supervisor's co-signature before billing; the note has none.",
                "note.cosigned",
                "Ask the supervisor to co-sign the note (an addendum can record it).",
            )
        ]
    return []


# ---- providers ---------------------------------------------------------------------------------


def _npi(npi: str, field: str, who: str) -> list[Problem]:
    found = npi_problems(npi, field=field)
    if not found:
        return []
    problem = found[0]
    if problem.code == "npi_missing":
        return [_error(ScrubCode.NPI_MISSING, f"The {who} has no NPI.", field, "Record the NPI.")]
    return [
        _error(
            ScrubCode.NPI_INVALID,
            f"The {who}'s NPI {npi.strip()!r}: {problem.message}",
            field,
            problem.fix_hint or "Correct the NPI.",
        )
    ]


def _enrolled(claim: ClaimToBe, provider: ClaimProvider, field: str, role: str) -> list[Problem]:
    payer = claim.coverage.payer_name if claim.coverage else "the payer"
    dos = claim.date_of_service
    enrollment = provider.enrollment
    if enrollment is None:
        message = f"The {role} ({provider.name}) has no enrolment with {payer}."
    elif enrollment.active_on(dos):
        return []
    elif enrollment.status != "enrolled":
        message = f"The {role} ({provider.name}) is {enrollment.status.replace('_', ' ')} with {payer}, not enrolled."
    else:
        message = (
            f"The {role}'s ({provider.name}) enrolment with {payer} runs "
            f"{enrollment.effective_on or 'open'} to {enrollment.ends_on or 'open'}; it does not cover {dos}."
        )
    return [
        _error(
            ScrubCode.PROVIDER_NOT_ENROLLED,
            message,
            field,
            "Finish credentialing with the payer, or bill under an enrolled provider.",
        )
    ]


def _licensed(claim: ClaimToBe, provider: ClaimProvider, field: str, role: str) -> list[Problem]:
    if provider.supervised or any(lic.valid_on(claim.date_of_service) for lic in provider.licenses):
        return []
    latest = max((lic.expires_on for lic in provider.licenses), default=None)
    detail = f"the latest expired on {latest}" if latest is not None else "none is on file"
    return [
        _error(
            ScrubCode.LICENSE_NOT_VALID,
            f"The {role} ({provider.name}) has no licence valid on {claim.date_of_service}: {detail}.",
            field,
            "Record the renewed licence, or bill under a licensed provider.",
        )
    ]


def _decisions(claim: ClaimToBe, rendering: ClaimProvider) -> list[tuple[int, LineFacts, RenderingDecision]]:
    return [
        (index, line, rendering_decision(claim.policy, credential=rendering.credential, code=line.code))
        for index, line in _billed(claim)
    ]


def check_providers(claim: ClaimToBe) -> list[Problem]:
    """NPIs (billing, rendering, supervising), who the payer lets render each code and who the
    claim names (rendering, or the supervisor as supervising/rendering provider), enrolment with
    the payer and licences on the date of service."""
    problems = _npi(claim.billing_npi, "billing_provider.npi", "billing provider")
    rendering = claim.rendering
    if rendering is None:
        problems.append(
            _error(
                ScrubCode.RENDERING_MISSING,
                "No rendering provider is named.",
                "rendering_provider",
                "Set the note's author as the rendering provider.",
            )
        )
        return problems
    supervising = claim.supervising
    decisions = _decisions(claim, rendering) if claim.coverage is not None else []
    for index, line, decision in decisions:
        if not decision.allowed:
            problems.append(
                _error(
                    ScrubCode.CREDENTIAL_CANNOT_RENDER,
                    f"{_payer(claim)} does not pay {line.code} rendered by a {rendering.credential}.",
                    f"lines[{index}].code",
                    "Have a credential the payer accepts render it, or bill another payer.",
                )
            )
    billings = {d.billing for _, _, d in decisions if d.allowed}
    supervisor_needed = bool(
        billings & {RenderingBilling.WITH_SUPERVISOR, RenderingBilling.SUPERVISOR_RENDERS}
    )
    performer_on_claim = claim.coverage is None or bool(
        billings & {RenderingBilling.RENDERING, RenderingBilling.WITH_SUPERVISOR}
    )
    if supervisor_needed and supervising is None:
        problems.append(
            _error(
                ScrubCode.SUPERVISOR_REQUIRED,
                f"{_payer(claim)}: services by a {rendering.credential} are billed under a supervisor, and "
                f"none supervised {rendering.name} on {claim.date_of_service}.",
                "supervising_provider",
                "Record the supervision on the date of service, then re-scrub.",
            )
        )
    if performer_on_claim:
        problems += _npi(rendering.npi, "rendering_provider.npi", "rendering provider")
        problems += _licensed(claim, rendering, "rendering_provider.licenses", "rendering provider")
    if supervising is not None and (supervisor_needed or claim.coverage is None):
        problems += _npi(supervising.npi, "supervising_provider.npi", "supervising provider")
        problems += _licensed(claim, supervising, "supervising_provider.licenses", "supervising provider")
    if claim.coverage is not None:
        if performer_on_claim and not (rendering.supervised and supervisor_needed):
            problems += _enrolled(claim, rendering, "rendering_provider.enrollment", "rendering provider")
        if supervisor_needed and supervising is not None:
            problems += _enrolled(
                claim, supervising, "supervising_provider.enrollment", "supervising provider"
            )
    return problems


# ---- diagnoses and pointers --------------------------------------------------------------------


def _plain(code: str) -> str:
    return code.replace(".", "").upper()


def check_diagnoses(claim: ClaimToBe) -> list[Problem]:
    if not claim.diagnoses:
        return [
            _error(
                ScrubCode.DIAGNOSIS_MISSING,
                "The claim has no diagnosis.",
                "diagnoses",
                "Add the diagnoses addressed to the note (by addendum) and re-capture.",
            )
        ]
    problems: list[Problem] = []
    for index, dx in enumerate(claim.diagnoses):
        if not dx.valid or not dx.billable:
            problems.append(
                _error(
                    ScrubCode.DIAGNOSIS_NOT_BILLABLE,
                    dx.reason or f"{dx.code} is not a billable ICD-10-CM code on {claim.date_of_service}.",
                    f"diagnoses[{index}]",
                    "Pick a billable (complete) code valid on the date of service.",
                )
            )
    if claim.coverage is not None:
        age = age_on(claim.patient.date_of_birth, claim.date_of_service)
        problems.extend(
            Problem(
                code=ScrubCode.DIAGNOSIS_AGE,
                message=found.message,
                field=found.field,
                severity=found.severity,
                fix_hint=found.fix_hint,
            )
            for found in diagnosis_age_problems(
                claim.policy, diagnoses=[dx.code for dx in claim.diagnoses], age=age
            )
        )
    return problems


def check_pointers(claim: ClaimToBe) -> list[Problem]:
    problems: list[Problem] = []
    count = len(claim.diagnoses)
    for index, line in _billed(claim):
        field = f"lines[{index}].diagnosis_pointers"
        pointers = line.diagnosis_pointers
        if not pointers:
            if count:
                problems.append(
                    _error(
                        ScrubCode.POINTER_MISSING,
                        f"{_label(line)} points at no diagnosis.",
                        field,
                        "Point the line at the diagnoses it treated (1 is the primary).",
                    )
                )
            continue
        bad = [p for p in pointers if p < 1 or p > count]
        if bad:
            problems.append(
                _error(
                    ScrubCode.POINTER_INVALID,
                    f"{_label(line)} points at diagnosis {', '.join(map(str, bad))}, but the claim has {count}.",
                    field,
                    f"Use pointers 1 to {count}.",
                )
            )
        elif len(pointers) > MAX_LINE_POINTERS or len(set(pointers)) != len(pointers):
            problems.append(
                _error(
                    ScrubCode.POINTER_INVALID,
                    f"{_label(line)} has {len(pointers)} pointers; a line holds at most {MAX_LINE_POINTERS}, "
                    "each once.",
                    field,
                    "Keep the four most relevant diagnoses.",
                )
            )
    return problems


# ---- codes, time and units ---------------------------------------------------------------------


def _minutes_problem(claim: ClaimToBe, index: int, line: LineFacts) -> Problem | None:
    code, minutes = line.code, line.documented_minutes
    field = f"lines[{index}].code"
    if code in STANDALONE_PSYCHOTHERAPY or code in PSYCHOTHERAPY_WITH_EM:
        band = psychotherapy_band(minutes)
        if band is None:
            return _error(
                ScrubCode.MINUTES_MISMATCH,
                f"{minutes} minutes of psychotherapy is under 16: {code} cannot be reported.",
                field,
                "Bill only the E/M (if one was done), or nothing.",
            )
        expected = band.with_em_code if code in PSYCHOTHERAPY_WITH_EM else band.code
        if code != expected:
            return _error(
                ScrubCode.MINUTES_MISMATCH,
                f"{minutes} minutes documented is {expected} ({band.label()} minutes), not {code}.",
                field,
                f"Change the code to {expected}, or correct the documented time by addendum.",
            )
        return None
    crisis = claim.note.crisis_minutes_on_date
    if code == "90839" and crisis < CRISIS_MIN_MINUTES:
        return _error(
            ScrubCode.MINUTES_MISMATCH,
            f"90839 needs at least {CRISIS_MIN_MINUTES} minutes of crisis time on the date; {crisis} are "
            "documented.",
            field,
            "Under 30 minutes, report the crisis time as psychotherapy (90832).",
        )
    if code == "90840":
        expected_units = crisis_add_on_units(crisis)
        if expected_units == 0 or line.units > expected_units:
            return _error(
                ScrubCode.MINUTES_MISMATCH,
                f"{crisis} minutes of crisis time on the date allow +90840 x{expected_units}; the line has "
                f"{line.units}.",
                f"lines[{index}].units",
                "One +90840 at 75 minutes and one more for each further 30 minutes.",
            )
        return None
    if code in FAMILY_CODES and minutes < FAMILY_MIN_MINUTES:
        return _error(
            ScrubCode.MINUTES_MISMATCH,
            f"{code} needs at least {FAMILY_MIN_MINUTES} minutes; {minutes} are documented.",
            field,
            "Family psychotherapy under 26 minutes is not reportable.",
        )
    return None


def _units_problem(claim: ClaimToBe, index: int, line: LineFacts, cms_units: int | None) -> Problem | None:
    field = f"lines[{index}].units"
    if line.units < 0:
        return _error(
            ScrubCode.UNITS_INVALID, f"{_label(line)} has negative units.", field, "Units are 1 or more."
        )
    if line.code in {"90840"}:
        return None  # judged against the day's crisis time
    if line.unit_minutes is None:
        if line.units > 1:
            return _error(
                ScrubCode.UNITS_EXCEED_MINUTES,
                f"{line.code} is not billed by time: 1 unit, not {line.units}.",
                field,
                "Set the units to 1.",
            )
        return None
    if line.unit_minutes == 15 and cms_units is not None:
        allowed = cms_units
        basis = f"the date's {claim.note.timed_minutes_on_date} timed minutes (CMS 8-minute rule)"
    else:
        allowed = midpoint_units(line.documented_minutes, line.unit_minutes)
        basis = f"{line.documented_minutes} documented minutes (a unit counts from its midpoint)"
    if line.units > allowed:
        return _error(
            ScrubCode.UNITS_EXCEED_MINUTES,
            f"{_label(line)} bills {line.units} unit(s); {basis} support {allowed}.",
            field,
            f"Set the units to {allowed} or fewer, or correct the documented time by addendum.",
        )
    return None


def check_codes_and_time(claim: ClaimToBe) -> list[Problem]:
    problems: list[Problem] = []
    cms_units: int | None = None
    if claim.policy.coding.unit_rule is UnitRule.CMS_8_MINUTE:
        cms_units = midpoint_units(claim.note.timed_minutes_on_date)
    for index, line in enumerate(claim.lines):
        if line.units == 0:
            continue
        if not line.code_known:
            problems.append(
                _error(
                    ScrubCode.CODE_UNKNOWN,
                    f"{line.code} is not in the code set on {claim.date_of_service}.",
                    f"lines[{index}].code",
                    "Use a CPT/HCPCS code valid on the date of service.",
                )
            )
            continue
        for found in (_units_problem(claim, index, line, cms_units), _minutes_problem(claim, index, line)):
            if found is not None:
                problems.append(found)
    if cms_units is not None:
        timed = [(i, line) for i, line in _billed(claim) if line.unit_minutes == 15]
        total = sum(line.units for _, line in timed)
        if len(timed) > 1 and total > cms_units:
            problems.append(
                _error(
                    ScrubCode.UNITS_EXCEED_MINUTES,
                    f"The timed lines bill {total} units together; the date's {claim.note.timed_minutes_on_date} "
                    f"timed minutes support {cms_units} (CMS 8-minute rule).",
                    f"lines[{timed[0][0]}].units",
                    "Lower the units so the lines add up to the day's total.",
                )
            )
    return problems


def check_add_ons(claim: ClaimToBe) -> list[Problem]:
    data = coding_data()
    mine = _billed(claim)
    others = [p.code for p in claim.prior_lines if p.date_of_service == claim.date_of_service and p.units]
    found = add_on_problems([line.code for _, line in mine] + others, data=data)
    problems: list[Problem] = []
    for index, line in mine:
        if line.code not in data.add_ons:
            continue
        for problem in found:
            if problem.message.startswith(f"+{line.code} "):
                problems.append(
                    _error(
                        ScrubCode(problem.code),
                        problem.message,
                        f"lines[{index}].code",
                        problem.fix_hint,
                    )
                )
        found = [p for p in found if not p.message.startswith(f"+{line.code} ")]
    return problems


def check_daily_maximum(claim: ClaimToBe) -> list[Problem]:
    problems: list[Problem] = []
    earlier: dict[str, int] = defaultdict(int)
    for prior in claim.prior_lines:
        if prior.date_of_service == claim.date_of_service:
            earlier[prior.code] += prior.units
    mine: dict[str, list[int]] = defaultdict(list)
    for index, line in _billed(claim):
        mine[line.code].append(index)
    for code, indexes in mine.items():
        maximum = claim.policy.coding.max_units_per_day.get(code)
        if maximum is None:
            continue
        total = sum(claim.lines[i].units for i in indexes) + earlier[code]
        if total > maximum:
            elsewhere = f" (with {earlier[code]} on other charges that date)" if earlier[code] else ""
            problems.append(
                _error(
                    ScrubCode.UNITS_OVER_DAILY_MAX,
                    f"{_payer(claim)} pays at most {maximum} unit(s) of {code} a day; {total} are billed"
                    f"{elsewhere}.",
                    f"lines[{indexes[0]}].units",
                    f"Lower the units to {max(maximum - earlier[code], 0)}.",
                )
            )
    return problems


# ---- modifiers and place of service ------------------------------------------------------------


def check_modifiers(claim: ClaimToBe) -> list[Problem]:
    """Modifiers the payer asks for: the practitioner level (HM/HN/HO/HP of who performed the
    service) and the telehealth modifier; none of them where they don't belong."""
    problems: list[Problem] = []
    coding = claim.policy.coding
    telehealth = claim.note.telehealth
    insured = claim.coverage is not None
    wanted_tele = ""
    if telehealth == "audio_video":
        wanted_tele = coding.video_modifier
    elif telehealth == "audio_only":
        wanted_tele = coding.audio_only_modifier
    level = claim.rendering.level_modifier if claim.rendering is not None else ""
    for index, line in _billed(claim):
        field = f"lines[{index}].modifiers"
        if line.unknown_modifiers:
            problems.append(
                _error(
                    ScrubCode.MODIFIER_UNKNOWN,
                    f"{_label(line)}: modifier {', '.join(line.unknown_modifiers)} is not in the code set on "
                    f"{claim.date_of_service}.",
                    field,
                    "Remove or correct the modifier.",
                )
            )
        if insured and coding.practitioner_modifiers:
            if not level:
                problems.append(
                    _error(
                        ScrubCode.MODIFIER_MISSING,
                        f"{_payer(claim)} wants a practitioner-level modifier (HM/HN/HO/HP), but the rendering "
                        "provider's degree is not known.",
                        field,
                        "Record the rendering provider's credential.",
                    )
                )
            elif level not in line.modifiers:
                problems.append(
                    _error(
                        ScrubCode.MODIFIER_MISSING,
                        f"{_payer(claim)} wants the practitioner-level modifier {level} on {_label(line)}.",
                        field,
                        f"Add {level}.",
                    )
                )
            wrong = sorted((set(line.modifiers) & LEVEL_MODIFIERS) - {level})
            if level and wrong:
                problems.append(
                    _error(
                        ScrubCode.MODIFIER_NOT_EXPECTED,
                        f"{_label(line)} carries {', '.join(wrong)}, but the rendering provider's level is {level}.",
                        field,
                        f"Remove {', '.join(wrong)}.",
                    )
                )
        if telehealth and insured and wanted_tele and wanted_tele not in line.modifiers:
            kind = "audio-only" if telehealth == "audio_only" else "audio and video"
            problems.append(
                _error(
                    ScrubCode.MODIFIER_MISSING,
                    f"{_payer(claim)} wants modifier {wanted_tele} on telehealth ({kind}) lines; {_label(line)} "
                    "does not carry it.",
                    field,
                    f"Add {wanted_tele}.",
                )
            )
        if not telehealth:
            tele = sorted(set(line.modifiers) & TELEHEALTH_MODIFIERS)
            if tele:
                problems.append(
                    _error(
                        ScrubCode.MODIFIER_NOT_EXPECTED,
                        f"{_label(line)} carries telehealth modifier {', '.join(tele)}, but the session was in "
                        "person.",
                        field,
                        f"Remove {', '.join(tele)}.",
                    )
                )
    return problems


def check_place_of_service(claim: ClaimToBe) -> list[Problem]:
    problems: list[Problem] = []
    telehealth = bool(claim.note.telehealth)
    rule = claim.policy.coding.telehealth_pos if claim.coverage is not None else TelehealthPos.TELEHEALTH_POS
    for index, line in _billed(claim):
        field = f"lines[{index}].pos"
        if not line.pos_known:
            problems.append(
                _error(
                    ScrubCode.POS_UNKNOWN,
                    f"Place of service {line.pos!r} is not in the POS code set.",
                    field,
                    "Use a CMS place-of-service code (11 office, 12 home, 02/10 telehealth...).",
                )
            )
            continue
        if not telehealth:
            if line.pos in TELEHEALTH_POS:
                problems.append(
                    _error(
                        ScrubCode.POS_TELEHEALTH_MISMATCH,
                        f"{_label(line)} has telehealth POS {line.pos}, but the session was in person.",
                        field,
                        "Use the place where the session happened (e.g. 11 office).",
                    )
                )
            continue
        if rule is TelehealthPos.IN_PERSON_POS:
            if line.pos in TELEHEALTH_POS:
                problems.append(
                    _error(
                        ScrubCode.POS_TELEHEALTH_MISMATCH,
                        f"{_payer(claim)} wants the in-person place of service on telehealth lines, not "
                        f"{line.pos}.",
                        field,
                        "Use the POS the session would have had in person (e.g. 11).",
                    )
                )
            continue
        expected = "02" if rule is TelehealthPos.ALWAYS_02 else ("10" if claim.note.patient_at_home else "02")
        if line.pos not in TELEHEALTH_POS or (rule is TelehealthPos.ALWAYS_02 and line.pos != "02"):
            problems.append(
                _error(
                    ScrubCode.POS_TELEHEALTH_MISMATCH,
                    f"{_label(line)} was a telehealth session: its place of service is {expected}, not {line.pos}.",
                    field,
                    f"Set the place of service to {expected}.",
                )
            )
    return problems


# ---- other lines, deadlines, consent, limits ---------------------------------------------------


def check_duplicates(claim: ClaimToBe) -> list[Problem]:
    problems: list[Problem] = []
    for index, line in _billed(claim):
        for prior in claim.prior_lines:
            if (
                prior.date_of_service == claim.date_of_service
                and prior.units
                and prior.code == line.code
                and sorted(prior.modifiers) == sorted(line.modifiers)
            ):
                problems.append(
                    _error(
                        ScrubCode.DUPLICATE_LINE,
                        f"{_label(line)} on {claim.date_of_service} is already {prior.source} ({prior.reference}).",
                        f"lines[{index}].code",
                        "Bill the date's units on one line (set this line's units to 0 and raise the other's), "
                        "or add 59/76 only if the services were truly separate.",
                    )
                )
                break
    return problems


def check_timely_filing(claim: ClaimToBe) -> list[Problem]:
    days = claim.policy.timely_filing_days
    if claim.coverage is None or days is None:
        return []
    deadline = claim.date_of_service + timedelta(days=days)
    left = (deadline - claim.today).days
    if left < 0:
        return [
            _error(
                ScrubCode.TIMELY_FILING_PASSED,
                f"The {days}-day timely-filing limit with {_payer(claim)} passed on {deadline}.",
                "date_of_service",
                "Appeal only with proof of timely submission; otherwise write the charge off.",
            )
        ]
    if left <= TIMELY_FILING_WARNING_DAYS:
        return [
            _warning(
                ScrubCode.TIMELY_FILING_NEAR,
                f"{left} day(s) left to file with {_payer(claim)} (deadline {deadline}).",
                "date_of_service",
                "Send this claim first.",
            )
        ]
    return []


def check_part2_consent(claim: ClaimToBe) -> list[Problem]:
    patient = claim.patient
    if claim.coverage is None or not patient.in_part2_program:
        return []
    if part2_consent_active(patient.consents, on=claim.date_of_service):
        return []
    return [
        _error(
            ScrubCode.PART2_CONSENT_MISSING,
            "The patient is in a 42 CFR Part 2 substance-use program and has no active Part 2 consent "
            f"for payment (TPO) on {claim.date_of_service}: the claim would disclose substance-use services.",
            "patient.consents",
            "Record the patient's signed Part 2 TPO consent, or bill the patient.",
        )
    ]


def check_visit_limit(claim: ClaimToBe) -> list[Problem]:
    """A yearly visit limit with any billed code: N visits allowed, so N earlier ones mean this
    one is over."""
    if claim.coverage is None:
        return []
    codes = {line.code for _, line in _billed(claim)}
    problems: list[Problem] = []
    for limit in claim.policy.visit_limits:
        if not codes & set(limit.codes):
            continue
        before = claim.visits_before(limit.codes)
        if before < limit.visits_per_year:
            continue
        problems.append(
            _error(
                ScrubCode.VISIT_LIMIT_REACHED,
                f"{limit.name}: {_payer(claim)} pays {limit.visits_per_year} visit(s) a year; {before} were "
                f"already billed in {claim.date_of_service.year}.",
                "visits",
                "Ask the payer for an exception (a parity argument may apply), or bill the patient with consent.",
            )
        )
    return problems


def check_something_to_bill(claim: ClaimToBe) -> list[Problem]:
    if _billed(claim):
        return []
    return [
        _warning(
            ScrubCode.NOTHING_TO_BILL,
            "No line is billed: nothing goes on a claim for this session.",
            "lines",
            "If time was left out of the note, correct it by addendum; otherwise there is nothing to do.",
        )
    ]


CHECKS: tuple[Callable[[ClaimToBe], list[Problem]], ...] = (
    check_something_to_bill,
    check_coverage,
    check_prior_authorization,
    check_note,
    check_providers,
    check_diagnoses,
    check_pointers,
    check_codes_and_time,
    check_add_ons,
    check_daily_maximum,
    check_modifiers,
    check_place_of_service,
    check_duplicates,
    check_timely_filing,
    check_part2_consent,
    check_visit_limit,
)


def scrub(claim: ClaimToBe) -> list[Problem]:
    """Every problem with `claim`, errors first, then in check order."""
    found: list[Problem] = []
    for check in CHECKS:
        found.extend(check(claim))
    return sorted(found, key=lambda p: p.severity is not Severity.ERROR)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)
