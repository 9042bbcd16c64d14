"""Rules for entering an authorization and recording its use (pure: values in, Problems out)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from authorizations.domain.types import AuthorizationDetails, AuthorizationProblemCode, AuthStatus, UnitKind
from coding.domain.code_sets import CodeCatalog
from coding.domain.types import CodeKind
from core.domain.problems import Problem, Severity

NUMBER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,29}$")
MAX_CODES = 20
MAX_AMOUNT = 100_000
MAX_PERIOD_DAYS = 3 * 366
NOTES_MAX = 2000
SOURCE_MAX = 64
_SPLIT = re.compile(r"[\s,;]+")


def codes_from_text(raw: str) -> tuple[str, ...]:
    """'97153, 97155 h2019' -> ('97153', '97155', 'H2019') (order kept, duplicates dropped)."""
    return tuple(dict.fromkeys(part.upper() for part in _SPLIT.split(raw.strip()) if part))


def details_normalized(details: AuthorizationDetails) -> AuthorizationDetails:
    return replace(
        details,
        number=details.number.strip().upper(),
        codes=tuple(dict.fromkeys(c.strip().upper() for c in details.codes if c.strip())),
        unit_kind=details.unit_kind.strip(),
        notes=details.notes.strip(),
    )


def _code_problems(codes: tuple[str, ...], *, catalog: CodeCatalog, on: date) -> list[Problem]:
    problems: list[Problem] = []
    for code in codes:
        if catalog.lookup(code, on=on, kind=CodeKind.CPT) or catalog.lookup(code, on=on, kind=CodeKind.HCPCS):
            continue
        if any(v.kind in (CodeKind.CPT, CodeKind.HCPCS) for v in catalog.any_version(code)):
            problems.append(
                Problem(
                    AuthorizationProblemCode.CODE_NOT_EFFECTIVE,
                    f"{code} is not valid on {on}, the first day of the authorization.",
                    "codes",
                    Severity.WARNING,
                )
            )
        else:
            problems.append(
                Problem(AuthorizationProblemCode.CODE_UNKNOWN, f"{code} is not a CPT or HCPCS code.", "codes")
            )
    return problems


def authorization_problems(details: AuthorizationDetails, *, catalog: CodeCatalog) -> list[Problem]:
    """What is wrong with an authorization as entered (normalise it first)."""
    problems: list[Problem] = []
    if not details.number:
        problems.append(
            Problem(
                AuthorizationProblemCode.NUMBER_MISSING, "Enter the payer's authorization number.", "number"
            )
        )
    elif not NUMBER_RE.match(details.number):
        problems.append(
            Problem(
                AuthorizationProblemCode.NUMBER_FORMAT,
                "An authorization number is up to 30 letters, digits or hyphens.",
                "number",
            )
        )
    if not details.codes:
        problems.append(
            Problem(AuthorizationProblemCode.CODES_MISSING, "List the codes the payer authorized.", "codes")
        )
    elif len(details.codes) > MAX_CODES:
        problems.append(
            Problem(AuthorizationProblemCode.CODES_MISSING, f"List at most {MAX_CODES} codes.", "codes")
        )
    else:
        problems += _code_problems(details.codes, catalog=catalog, on=details.start_on)
    if details.unit_kind not in {k.value for k in UnitKind}:
        problems.append(
            Problem(AuthorizationProblemCode.UNIT_KIND_UNKNOWN, "Choose units or visits.", "unit_kind")
        )
    if not 1 <= details.authorized <= MAX_AMOUNT:
        problems.append(
            Problem(
                AuthorizationProblemCode.AMOUNT_RANGE,
                f"The authorized amount must be between 1 and {MAX_AMOUNT}.",
                "authorized",
            )
        )
    if details.end_on < details.start_on:
        problems.append(
            Problem(
                AuthorizationProblemCode.DATES_ORDER,
                "The end date cannot be before the start date.",
                "end_on",
            )
        )
    elif (details.end_on - details.start_on).days > MAX_PERIOD_DAYS:
        problems.append(
            Problem(
                AuthorizationProblemCode.PERIOD_TOO_LONG,
                "An authorization period is at most three years.",
                "end_on",
            )
        )
    if len(details.notes) > NOTES_MAX:
        problems.append(
            Problem(
                AuthorizationProblemCode.NOTES_TOO_LONG,
                f"Keep the notes under {NOTES_MAX} characters.",
                "notes",
            )
        )
    return problems


def settable_status_problems(status: str) -> list[Problem]:
    """A person may cancel an authorization or make it live again; expiry and exhaustion follow
    from the dates and the usage."""
    if status in (AuthStatus.ACTIVE, AuthStatus.CANCELLED):
        return []
    return [
        Problem(
            AuthorizationProblemCode.STATUS_NOT_SETTABLE,
            "Choose active or cancelled; expired and exhausted follow from the dates and the usage.",
            "status",
        )
    ]


def usage_problems(
    *,
    status: AuthStatus,
    codes: frozenset[str],
    start_on: date,
    end_on: date,
    source_id: str,
    code: str,
    units: int,
    on: date,
) -> list[Problem]:
    """Whether a charge may be recorded against an authorization."""
    problems: list[Problem] = []
    if not source_id or len(source_id) > SOURCE_MAX:
        problems.append(
            Problem(
                AuthorizationProblemCode.USAGE_SOURCE,
                f"The source is a non-empty id of at most {SOURCE_MAX} characters.",
                "source_id",
            )
        )
    if units < 1:
        problems.append(Problem(AuthorizationProblemCode.USAGE_UNITS, "Record at least 1 unit.", "units"))
    if status is AuthStatus.CANCELLED:
        problems.append(
            Problem(
                AuthorizationProblemCode.USAGE_CANCELLED, "The authorization is cancelled.", "authorization"
            )
        )
    if not start_on <= on <= end_on:
        problems.append(
            Problem(
                AuthorizationProblemCode.USAGE_OUTSIDE_DATES,
                f"{on} is outside the authorization's dates ({start_on} to {end_on}).",
                "on",
            )
        )
    if code and code.strip().upper() not in codes:
        problems.append(
            Problem(
                AuthorizationProblemCode.USAGE_CODE_NOT_AUTHORIZED,
                f"{code.strip().upper()} is not one of the authorized codes ({', '.join(sorted(codes))}).",
                "code",
            )
        )
    return problems
