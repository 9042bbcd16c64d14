"""Rules for entering an authorization and recording its use (pure: values in, Problems out)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from authorizations.domain.types import (
    AuthorizationDetails,
    AuthorizationProblemCode,
    AuthStatus,
    CapDetails,
    UnitKind,
)
from coding.domain.code_sets import CodeCatalog
from coding.domain.types import CodeKind
from core.domain.problems import Problem, Severity
from core.formatting import date_label

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


_CAP_LINE = re.compile(r"^(?P<codes>[^:=]+)[:=]\s*(?P<units>\S+)$")


def caps_from_text(raw: str) -> tuple[tuple[CapDetails, ...], list[Problem]]:
    """One cap a line, "97155: 30" or "97156, 97158: 12" (codes, a colon, the units); blank lines
    are skipped. A line that is not shaped so is a problem (with its number)."""
    caps: list[CapDetails] = []
    problems: list[Problem] = []
    lines = [line.strip() for line in raw.splitlines()]
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        match = _CAP_LINE.match(line)
        units = match.group("units") if match else ""
        if match is None or not units.isdigit():
            problems.append(
                Problem(
                    AuthorizationProblemCode.CAP_INVALID,
                    f'Cap line {number}: write the codes, a colon and the units, like "97155: 30".',
                    "caps",
                )
            )
            continue
        caps.append(CapDetails(codes=codes_from_text(match.group("codes")), units=int(units)))
    return tuple(caps), problems


def caps_as_text(caps: tuple[CapDetails, ...]) -> str:
    return "\n".join(f"{', '.join(cap.codes)}: {cap.units}" for cap in caps)


def details_normalized(details: AuthorizationDetails) -> AuthorizationDetails:
    return replace(
        details,
        number=details.number.strip().upper(),
        codes=tuple(dict.fromkeys(c.strip().upper() for c in details.codes if c.strip())),
        unit_kind=details.unit_kind.strip(),
        notes=details.notes.strip(),
        caps=tuple(
            CapDetails(
                codes=tuple(dict.fromkeys(c.strip().upper() for c in cap.codes if c.strip())), units=cap.units
            )
            for cap in details.caps
        ),
    )


def cap_problems(details: AuthorizationDetails) -> list[Problem]:
    """Each cap names codes of the authorization (each code in one cap at most) and 1 to the
    authorized total units; several caps may add up to more than the total (the total still holds)."""
    problems: list[Problem] = []
    if len(details.caps) > MAX_CODES:
        problems.append(
            Problem(AuthorizationProblemCode.CAP_INVALID, f"Enter at most {MAX_CODES} caps.", "caps")
        )
        return problems
    seen: dict[str, int] = {}
    authorized = set(details.codes)
    for number, cap in enumerate(details.caps, start=1):
        where = f"Cap {number} ({', '.join(cap.codes) or 'no codes'})"
        if not cap.codes:
            problems.append(Problem(AuthorizationProblemCode.CAP_INVALID, f"{where} names no code.", "caps"))
        others = [c for c in cap.codes if c not in authorized]
        if others:
            problems.append(
                Problem(
                    AuthorizationProblemCode.CAP_INVALID,
                    f"{where}: {', '.join(others)} is not one of the authorized codes.",
                    "caps",
                )
            )
        again = [c for c in cap.codes if c in seen]
        if again:
            problems.append(
                Problem(
                    AuthorizationProblemCode.CAP_INVALID,
                    f"{where}: {', '.join(again)} is already capped in cap {seen[again[0]]}; a code has one cap.",
                    "caps",
                )
            )
        for code in cap.codes:
            seen.setdefault(code, number)
        if not 1 <= cap.units <= details.authorized:
            problems.append(
                Problem(
                    AuthorizationProblemCode.CAP_INVALID,
                    f"{where}: a cap is between 1 and the authorized total ({details.authorized}).",
                    "caps",
                )
            )
    return problems


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
    problems += cap_problems(details)
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
                f"{date_label(on)} is outside the authorization's dates ({date_label(start_on)} to {date_label(end_on)}).",
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
