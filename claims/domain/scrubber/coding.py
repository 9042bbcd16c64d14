"""Scrubber checks on diagnoses, pointers, codes, time, units, add-ons and daily maximums."""

from __future__ import annotations

from collections import defaultdict

from claims.domain.scrubber.common import (
    FAMILY_CODES,
    MAX_LINE_POINTERS,
    PSYCHOTHERAPY_WITH_EM,
    STANDALONE_PSYCHOTHERAPY,
    ScrubCode,
    billed_lines,
    error,
    line_label,
    rules_label,
    warning,
)
from claims.domain.types import ClaimToBe, LineFacts
from coding.domain.families import coding_data
from coding.domain.rules import add_on_problems
from coding.domain.types import UnitRule
from coding.domain.units import (
    CRISIS_MIN_MINUTES,
    FAMILY_MIN_MINUTES,
    crisis_add_on_units,
    midpoint_units,
    psychotherapy_band,
)
from core.domain.problems import Problem
from core.formatting import date_label
from payer_rules.domain.policy import (
    age_on,
    diagnosis_age_problems,
)

# ---- diagnoses and pointers --------------------------------------------------------------------


def _plain(code: str) -> str:
    return code.replace(".", "").upper()


def check_diagnoses(claim: ClaimToBe) -> list[Problem]:
    if not claim.diagnoses:
        return [
            error(
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
                error(
                    ScrubCode.DIAGNOSIS_NOT_BILLABLE,
                    dx.reason
                    or f"{dx.code} is not a billable ICD-10-CM code on {date_label(claim.date_of_service)}.",
                    f"diagnoses[{index}]",
                    "Pick a billable (complete) code valid on the date of service.",
                )
            )
    problems.extend(icd10_year_problems(claim))
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


def icd10_year_problems(claim: ClaimToBe) -> list[Problem]:
    """One warning when the date of service's ICD-10-CM year is not loaded (the diagnoses were
    checked against another year's table, so a code added or deleted that year goes unnoticed)."""
    inexact = [
        dx
        for dx in claim.diagnoses
        if dx.fiscal_year is not None and dx.checked_against not in (None, dx.fiscal_year)
    ]
    if not inexact:
        return []
    year, other = inexact[0].fiscal_year, inexact[0].checked_against
    return [
        warning(
            ScrubCode.ICD10_YEAR_NOT_LOADED,
            f"ICD-10-CM year not loaded: the date of service falls in FY{year}, so the diagnoses were "
            f"checked against FY{other} and a code new or deleted in FY{year} would not be caught.",
            "diagnoses",
            f"An admin loads CMS's FY{year} order file with "
            f"`python manage.py import_icd10cm icd10cm-order-{year}.txt`; then re-scrub.",
        )
    ]


def check_pointers(claim: ClaimToBe) -> list[Problem]:
    problems: list[Problem] = []
    count = len(claim.diagnoses)
    for index, line in billed_lines(claim):
        field = f"lines[{index}].diagnosis_pointers"
        pointers = line.diagnosis_pointers
        if not pointers:
            if count:
                problems.append(
                    error(
                        ScrubCode.POINTER_MISSING,
                        f"{line_label(line)} points at no diagnosis.",
                        field,
                        "Point the line at the diagnoses it treated (1 is the primary).",
                    )
                )
            continue
        bad = [p for p in pointers if p < 1 or p > count]
        if bad:
            problems.append(
                error(
                    ScrubCode.POINTER_INVALID,
                    f"{line_label(line)} points at diagnosis {', '.join(map(str, bad))}, but the claim has {count}.",
                    field,
                    f"Use pointers 1 to {count}.",
                )
            )
        elif len(pointers) > MAX_LINE_POINTERS or len(set(pointers)) != len(pointers):
            problems.append(
                error(
                    ScrubCode.POINTER_INVALID,
                    f"{line_label(line)} has {len(pointers)} pointers; a line holds at most {MAX_LINE_POINTERS}, "
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
            return error(
                ScrubCode.MINUTES_MISMATCH,
                f"{minutes} minutes of psychotherapy is under 16: {code} cannot be reported.",
                field,
                "Bill only the E/M (if one was done), or nothing.",
            )
        expected = band.with_em_code if code in PSYCHOTHERAPY_WITH_EM else band.code
        if code != expected:
            return error(
                ScrubCode.MINUTES_MISMATCH,
                f"{minutes} minutes documented is {expected} ({band.label()} minutes), not {code}.",
                field,
                f"Change the code to {expected}, or correct the documented time by addendum.",
            )
        return None
    crisis = claim.note.crisis_minutes_on_date
    if code == "90839" and crisis < CRISIS_MIN_MINUTES:
        return error(
            ScrubCode.MINUTES_MISMATCH,
            f"90839 needs at least {CRISIS_MIN_MINUTES} minutes of crisis time on the date; {crisis} are "
            "documented.",
            field,
            "Under 30 minutes, report the crisis time as psychotherapy (90832).",
        )
    if code == "90840":
        expected_units = crisis_add_on_units(crisis)
        if expected_units == 0 or line.units > expected_units:
            return error(
                ScrubCode.MINUTES_MISMATCH,
                f"{crisis} minutes of crisis time on the date allow +90840 x{expected_units}; the line has "
                f"{line.units}.",
                f"lines[{index}].units",
                "One +90840 at 75 minutes and one more for each further 30 minutes.",
            )
        return None
    if code in FAMILY_CODES and minutes < FAMILY_MIN_MINUTES:
        return error(
            ScrubCode.MINUTES_MISMATCH,
            f"{code} needs at least {FAMILY_MIN_MINUTES} minutes; {minutes} are documented.",
            field,
            "Family psychotherapy under 26 minutes is not reportable.",
        )
    return None


def _units_problem(claim: ClaimToBe, index: int, line: LineFacts, cms_units: int | None) -> Problem | None:
    field = f"lines[{index}].units"
    if line.units < 0:
        return error(
            ScrubCode.UNITS_INVALID, f"{line_label(line)} has negative units.", field, "Units are 1 or more."
        )
    if line.code in {"90840"}:
        return None  # judged against the day's crisis time
    if line.unit_minutes is None:
        if line.units > 1:
            return error(
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
        return error(
            ScrubCode.UNITS_EXCEED_MINUTES,
            f"{line_label(line)} bills {line.units} unit(s); {basis} support {allowed}.",
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
                error(
                    ScrubCode.CODE_UNKNOWN,
                    f"{line.code} is not in the code set on {date_label(claim.date_of_service)}.",
                    f"lines[{index}].code",
                    "Use a CPT/HCPCS code valid on the date of service.",
                )
            )
            continue
        for found in (_units_problem(claim, index, line, cms_units), _minutes_problem(claim, index, line)):
            if found is not None:
                problems.append(found)
    if cms_units is not None:
        timed = [(i, line) for i, line in billed_lines(claim) if line.unit_minutes == 15]
        total = sum(line.units for _, line in timed)
        if len(timed) > 1 and total > cms_units:
            problems.append(
                error(
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
    mine = billed_lines(claim)
    others = [p.code for p in claim.prior_lines if p.date_of_service == claim.date_of_service and p.units]
    found = add_on_problems([line.code for _, line in mine] + others, data=data)
    problems: list[Problem] = []
    for index, line in mine:
        if line.code not in data.add_ons:
            continue
        for problem in found:
            if problem.message.startswith(f"+{line.code} "):
                problems.append(
                    error(
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
    for index, line in billed_lines(claim):
        mine[line.code].append(index)
    for code, indexes in mine.items():
        maximum = claim.policy.coding.max_units_per_day.get(code)
        if maximum is None:
            continue
        total = sum(claim.lines[i].units for i in indexes) + earlier[code]
        if total > maximum:
            elsewhere = f" (with {earlier[code]} on other charges that date)" if earlier[code] else ""
            problems.append(
                error(
                    ScrubCode.UNITS_OVER_DAILY_MAX,
                    f"{rules_label(claim)} pays at most {maximum} unit(s) of {code} a day; {total} are billed"
                    f"{elsewhere}.",
                    f"lines[{indexes[0]}].units",
                    f"Lower the units to {max(maximum - earlier[code], 0)}.",
                )
            )
    return problems
