"""From reviewed charges to claims (pure, no Django): grouping, splitting, numbering, deadlines,
and the claim-level checks the charge scrubber cannot make.

* `plan_claims(charge_sets, frequency_of)` groups charge sets into claims: one per patient,
  payer, coverage, rendering and supervising provider (and how the supervisor is billed), and the
  date-of-service period the payer's billing frequency allows (per session, per day, per week
  Sunday to Saturday, per calendar month). A claim holds at most 50 lines and 12 diagnoses
  (pitfall C5 basic edits): beyond, it is split in date order. Lines carrying different
  prior-authorization numbers go on different claims (one REF*G1 per claim, pitfall C15).
* `duplicate_problems`: a line billing the same patient, payer, date, code and units as a line
  of an earlier live claim is an error (pitfall C16: a retried or re-captured service is never
  billed twice).
* `claim_level_problems`: zero-charge claims, a total that is not the sum of the lines,
  negative or zero line charges, control numbers too long or repeated, taxonomy codes that are
  not 10 characters ending in X (pitfall C5), patient control numbers over 17 characters (C6).
* Numbers: `patient_control_number(n)` ("C" + 8+ digits, ≤ 17) and
  `line_control_number(practice_id, pcn, line)` (≤ 30, unique across practices).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from core.domain.problems import Problem, Severity
from core.formatting import date_label
from payer_rules.domain.policy import BillingFrequency

MAX_LINES = 50
MAX_DIAGNOSES = 12
MAX_PCN_LENGTH = 17
MAX_LINE_CONTROL_LENGTH = 30


def error(code: str, message: str, field: str, fix_hint: str = "") -> Problem:
    return Problem(code=code, message=message, field=field, severity=Severity.ERROR, fix_hint=fix_hint)


class ClaimCheckCode:
    ZERO_CHARGE = "claim_zero_charge"
    TOTAL_MISMATCH = "claim_total_mismatch"
    LINE_CHARGE = "claim_line_charge_not_positive"
    LINE_CONTROL = "claim_line_control_invalid"
    PCN = "claim_pcn_invalid"
    TAXONOMY = "claim_taxonomy_invalid"
    DUPLICATE = "claim_duplicate_line"
    INCOMPLETE = "claim_incomplete_data"
    AUTH = "claim_prior_auth_invalid"
    NOT_ENROLLED = "claim_provider_not_enrolled"


@dataclass(frozen=True, slots=True)
class LineIn:
    """A reviewed charge line (units > 0) as assembly sees it."""

    charge_id: int
    code: str
    modifiers: tuple[str, ...]
    units: int
    charge_cents: int
    place_of_service: str
    diagnosis_pointers: tuple[int, ...]  # 1-based into the charge set's diagnoses
    auth_number: str = ""


@dataclass(frozen=True, slots=True)
class ChargeSetIn:
    charge_set_id: int
    patient_id: int
    payer_id: int
    coverage_id: int
    rendering_provider_id: int
    supervising_provider_id: int | None
    supervisor_billing: str
    date_of_service: date
    diagnoses: tuple[str, ...]
    lines: tuple[LineIn, ...]
    findings: tuple[Mapping[str, str], ...] = ()  # the charge scrubber's stored findings


@dataclass(frozen=True, slots=True)
class PlannedLine:
    charge_id: int
    code: str
    modifiers: tuple[str, ...]
    units: int
    charge_cents: int
    place_of_service: str
    diagnosis_pointers: tuple[int, ...]  # 1-based into the claim's diagnoses
    service_date: date
    auth_number: str


@dataclass(frozen=True, slots=True)
class PlannedClaim:
    patient_id: int
    payer_id: int
    coverage_id: int
    rendering_provider_id: int
    supervising_provider_id: int | None
    supervisor_billing: str
    diagnoses: tuple[str, ...]
    lines: tuple[PlannedLine, ...]
    prior_auth_number: str
    charge_set_ids: tuple[int, ...]
    findings: tuple[Mapping[str, str], ...] = field(default=())

    @property
    def date_from(self) -> date:
        return min(line.service_date for line in self.lines)

    @property
    def date_to(self) -> date:
        return max(line.service_date for line in self.lines)

    @property
    def total_cents(self) -> int:
        return sum(line.charge_cents for line in self.lines)

    @property
    def place_of_service(self) -> str:
        """The claim's POS (CLM05-1): the most common of its lines (the first on a tie)."""
        counts: dict[str, int] = {}
        for line in self.lines:
            counts[line.place_of_service] = counts.get(line.place_of_service, 0) + 1
        return max(counts, key=lambda pos: counts[pos])


def period_key(frequency: BillingFrequency, day: date, charge_set_id: int) -> tuple[object, ...]:
    """The date group a service falls in for the payer's billing frequency."""
    if frequency is BillingFrequency.PER_SESSION:
        return ("session", charge_set_id)
    if frequency is BillingFrequency.PER_DAY:
        return ("day", day)
    if frequency is BillingFrequency.WEEKLY:
        return ("week", week_start(day))
    return ("month", day.year, day.month)


def week_start(day: date) -> date:
    """The Sunday that starts `day`'s billing week (Sunday to Saturday)."""
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _group_key(charge_set: ChargeSetIn, frequency: BillingFrequency) -> tuple[object, ...]:
    return (
        charge_set.patient_id,
        charge_set.payer_id,
        charge_set.coverage_id,
        charge_set.rendering_provider_id,
        charge_set.supervising_provider_id,
        charge_set.supervisor_billing,
        *period_key(frequency, charge_set.date_of_service, charge_set.charge_set_id),
    )


@dataclass
class _Open:
    diagnoses: list[str] = field(default_factory=list)
    lines: list[PlannedLine] = field(default_factory=list)
    charge_set_ids: list[int] = field(default_factory=list)
    findings: list[Mapping[str, str]] = field(default_factory=list)
    auth: str = ""


def _norm(code: str) -> str:
    return code.replace(".", "").strip().upper()


def _fits(current: _Open, charge_set: ChargeSetIn, lines: Sequence[LineIn], auth: str) -> bool:
    if len(current.lines) + len(lines) > MAX_LINES:
        return False
    if auth and current.auth and auth != current.auth:
        return False
    known = {_norm(code) for code in current.diagnoses}
    needed = {
        _norm(charge_set.diagnoses[p - 1])
        for line in lines
        for p in line.diagnosis_pointers
        if 1 <= p <= len(charge_set.diagnoses)
    }
    return len(known | needed) <= MAX_DIAGNOSES


def _add(current: _Open, charge_set: ChargeSetIn, lines: Sequence[LineIn], auth: str) -> None:
    positions = {_norm(code): index + 1 for index, code in enumerate(current.diagnoses)}
    for line in lines:
        pointers: list[int] = []
        for pointer in line.diagnosis_pointers:
            if not 1 <= pointer <= len(charge_set.diagnoses):
                pointers.append(pointer)  # left for the 837 check to report (never guessed)
                continue
            code = charge_set.diagnoses[pointer - 1]
            if _norm(code) not in positions:
                current.diagnoses.append(code)
                positions[_norm(code)] = len(current.diagnoses)
            pointers.append(positions[_norm(code)])
        current.lines.append(
            PlannedLine(
                charge_id=line.charge_id,
                code=line.code,
                modifiers=line.modifiers,
                units=line.units,
                charge_cents=line.charge_cents,
                place_of_service=line.place_of_service,
                diagnosis_pointers=tuple(pointers),
                service_date=charge_set.date_of_service,
                auth_number=line.auth_number,
            )
        )
    for code in charge_set.diagnoses:  # the set's other diagnoses, while there is room
        if _norm(code) not in positions and len(current.diagnoses) < MAX_DIAGNOSES:
            current.diagnoses.append(code)
            positions[_norm(code)] = len(current.diagnoses)
    if charge_set.charge_set_id not in current.charge_set_ids:
        current.charge_set_ids.append(charge_set.charge_set_id)
        current.findings.extend(charge_set.findings)
    current.auth = current.auth or auth


def _chunks_by_auth(lines: Sequence[LineIn]) -> list[tuple[str, list[LineIn]]]:
    """A charge set's lines split by prior-authorization number (lines without one join the
    first number's claim)."""
    numbers = list(dict.fromkeys(line.auth_number for line in lines if line.auth_number))
    if len(numbers) <= 1:
        return [(numbers[0] if numbers else "", list(lines))]
    chunks = [(number, [line for line in lines if line.auth_number == number]) for number in numbers]
    chunks[0][1].extend(line for line in lines if not line.auth_number)
    return chunks


def plan_claims(
    charge_sets: Iterable[ChargeSetIn], frequency_of: Callable[[ChargeSetIn], BillingFrequency]
) -> list[PlannedClaim]:
    """Group the charge sets into claims (deterministic: the same input gives the same plan)."""
    ordered = sorted(charge_sets, key=lambda cs: (cs.date_of_service, cs.charge_set_id))
    groups: dict[tuple[object, ...], tuple[ChargeSetIn, list[_Open]]] = {}  # key -> (first set, claims)
    for charge_set in ordered:
        if not charge_set.lines:
            continue
        key = _group_key(charge_set, frequency_of(charge_set))
        _first, opened = groups.setdefault(key, (charge_set, []))
        for auth, chunk in _chunks_by_auth(charge_set.lines):
            lines = chunk
            while lines:
                target = next((c for c in opened if _fits(c, charge_set, lines, auth)), None)
                if target is None:
                    target = _Open()
                    opened.append(target)
                    if not _fits(target, charge_set, lines, auth):  # one set beyond 50 lines
                        _add(target, charge_set, lines[:MAX_LINES], auth)
                        lines = lines[MAX_LINES:]
                        continue
                _add(target, charge_set, lines, auth)
                lines = []
    planned: list[PlannedClaim] = []
    for first, opened in groups.values():  # the group's key fields are the same on every set
        for current in opened:
            planned.append(
                PlannedClaim(
                    patient_id=first.patient_id,
                    payer_id=first.payer_id,
                    coverage_id=first.coverage_id,
                    rendering_provider_id=first.rendering_provider_id,
                    supervising_provider_id=first.supervising_provider_id,
                    supervisor_billing=first.supervisor_billing,
                    diagnoses=tuple(current.diagnoses),
                    lines=tuple(current.lines),
                    prior_auth_number=current.auth,
                    charge_set_ids=tuple(current.charge_set_ids),
                    findings=tuple(current.findings),
                )
            )
    planned.sort(key=lambda claim: (claim.date_from, claim.patient_id, claim.lines[0].charge_id))
    return planned


def patient_control_number(number: int) -> str:
    return f"C{number:08d}"


def line_control_number(practice_id: int, pcn: str, line_number: int) -> str:
    return f"P{practice_id}-{pcn}-{line_number}"


def timely_filing_deadline(date_from: date, days: int | None) -> date | None:
    return date_from + timedelta(days=days) if days else None


# -- checks ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PriorLine:
    """A line of an earlier live claim (for the duplicate check)."""

    patient_id: int
    payer_id: int
    service_date: date
    code: str
    units: int
    reference: str  # the claim's patient control number


_DupKey = tuple[int, int, date, str, int]


class DuplicateIndex:
    """Pitfall C16: lines of earlier live claims by (patient, payer, date of service, code,
    units); `problems(claim)` names the earlier claim of each line billed again, `add` records
    a claim just built (so two new claims of one service are caught too)."""

    def __init__(self, prior: Iterable[PriorLine] = ()) -> None:
        self._seen: dict[_DupKey, str] = {}
        for before in prior:
            self._seen.setdefault(
                (before.patient_id, before.payer_id, before.service_date, before.code, before.units),
                before.reference,
            )

    def problems(self, claim: PlannedClaim) -> list[Problem]:
        problems: list[Problem] = []
        for index, line in enumerate(claim.lines):
            reference = self._seen.get(
                (claim.patient_id, claim.payer_id, line.service_date, line.code, line.units)
            )
            if reference is not None:
                problems.append(
                    error(
                        ClaimCheckCode.DUPLICATE,
                        f"{line.code} × {line.units} on {date_label(line.service_date)} is already billed "
                        f"on claim {reference}.",
                        f"lines[{index}].code",
                        "Void one of the two, or fix the charges if the services were truly separate.",
                    )
                )
        return problems

    def add(self, claim: PlannedClaim, reference: str) -> None:
        for line in claim.lines:
            self._seen.setdefault(
                (claim.patient_id, claim.payer_id, line.service_date, line.code, line.units), reference
            )


def duplicate_problems(claim: PlannedClaim, prior: Iterable[PriorLine]) -> list[Problem]:
    """The duplicate lines of one claim against `prior` (see `DuplicateIndex`)."""
    return DuplicateIndex(prior).problems(claim)


@dataclass(frozen=True, slots=True)
class ClaimCheckInput:
    """What the claim-level checks read: the stored claim as built."""

    patient_control_number: str
    total_cents: int
    line_charges: tuple[int, ...]
    line_controls: tuple[str, ...]
    line_auths: tuple[str, ...]
    taxonomies: Mapping[str, str]  # field -> code ("billing_provider.taxonomy": "261QM0801X")


def _taxonomy_ok(code: str) -> bool:
    return len(code) == 10 and code.endswith("X") and code[:-1].isalnum()


def claim_level_problems(claim: ClaimCheckInput) -> list[Problem]:
    problems: list[Problem] = []
    pcn = claim.patient_control_number
    if not pcn or len(pcn) > MAX_PCN_LENGTH or not pcn.replace("-", "").isalnum():
        problems.append(
            error(
                ClaimCheckCode.PCN,
                f"The patient control number {pcn!r} must be 1 to {MAX_PCN_LENGTH} letters or digits "
                "(payers cut longer ones).",
                "patient_control_number",
            )
        )
    if claim.total_cents <= 0:
        problems.append(
            error(
                ClaimCheckCode.ZERO_CHARGE,
                "The claim charges nothing: a zero-charge claim is rejected.",
                "total_cents",
                "Set the fee schedule for the codes, then re-capture the charges.",
            )
        )
    if claim.total_cents != sum(claim.line_charges):
        problems.append(
            error(
                ClaimCheckCode.TOTAL_MISMATCH,
                "The claim total is not the sum of its lines.",
                "total_cents",
            )
        )
    for index, cents in enumerate(claim.line_charges):
        if cents <= 0:
            problems.append(
                error(
                    ClaimCheckCode.LINE_CHARGE,
                    f"Line {index + 1} charges {'nothing' if cents == 0 else 'a negative amount'}.",
                    f"lines[{index}].charge_cents",
                    "Set the fee for the code, or drop the line.",
                )
            )
    seen: set[str] = set()
    for index, control in enumerate(claim.line_controls):
        if not control or len(control) > MAX_LINE_CONTROL_LENGTH or control in seen:
            problems.append(
                error(
                    ClaimCheckCode.LINE_CONTROL,
                    f"Line {index + 1}'s control number must be unique and at most "
                    f"{MAX_LINE_CONTROL_LENGTH} characters.",
                    f"lines[{index}].line_control_number",
                )
            )
        seen.add(control)
    auths = {auth for auth in claim.line_auths if auth}
    if len(auths) > 1:
        problems.append(
            error(
                ClaimCheckCode.AUTH,
                f"The lines carry {len(auths)} different prior-authorization numbers; a claim carries one.",
                "prior_auth_number",
                "Bill each authorization's services on their own claim.",
            )
        )
    for where, code in claim.taxonomies.items():
        if code and not _taxonomy_ok(code):
            problems.append(
                error(
                    ClaimCheckCode.TAXONOMY,
                    f"The taxonomy code {code!r} is not 10 characters ending in X.",
                    where,
                    "Correct the provider's taxonomy code.",
                )
            )
    return problems


# The 837 builder's field paths, as the words a biller reads (pitfall C11: incomplete data is a
# scrubber error naming what is missing, never a broken file).
_FIELD_WORDS: tuple[tuple[str, str], ...] = (
    ("subscriber.member_id", "the coverage's member ID"),
    ("subscriber.person.birth_date", "the patient's date of birth"),
    ("subscriber.person.address", "the patient's address"),
    ("subscriber.person.gender", "the patient's sex"),
    ("subscriber.person", "the subscriber's name"),
    ("subscriber.claim_filing", "the payer's claim filing indicator"),
    ("patient.", "the patient's name, birth date or address"),
    ("payer.payer_id", "the payer's electronic payer ID"),
    ("payer.", "the payer's name or address"),
    ("billing_provider.npi", "the practice's billing NPI"),
    ("billing_provider.tax_id", "the practice's tax ID"),
    ("billing_provider.address", "the practice's street address (a PO box cannot be the billing address)"),
    ("billing_provider.taxonomy", "the practice's taxonomy code"),
    ("billing_provider", "the practice's name"),
    ("rendering", "the rendering clinician's name, NPI or taxonomy"),
    ("supervising", "the supervising clinician's name, NPI or taxonomy"),
    ("diagnoses", "the claim's diagnoses"),
    ("lines", "a service line"),
    ("place_of_service", "the place of service"),
    ("claim_id", "the patient control number"),
)


def incomplete_data_problem(field_path: str, reason: str) -> Problem:
    """A ClaimDataError of the 837 builder (field "claim.subscriber.member_id", reason) as a
    scrubber error."""
    path = field_path.removeprefix("claim.")
    words = next((w for prefix, w in _FIELD_WORDS if path.startswith(prefix)), path)
    return error(
        ClaimCheckCode.INCOMPLETE,
        f"The claim cannot be sent: {words} — {reason.rstrip('.')}.",
        path,
        "Complete the record, then assemble or scrub the claim again.",
    )


@dataclass(frozen=True, slots=True)
class Enrollment:
    status: str  # payers.PayerEnrollment.Status values
    effective_on: date | None = None
    ends_on: date | None = None

    def active_on(self, day: date) -> bool:
        if self.status != "enrolled":
            return False
        if self.effective_on is not None and day < self.effective_on:
            return False
        return self.ends_on is None or day <= self.ends_on


def enrollment_problems(
    *, who: str, field_path: str, payer_name: str, enrollment: Enrollment | None, dates: Iterable[date]
) -> list[Problem]:
    """Pitfall C14: the provider the claim reports must be enrolled with the payer on every date
    of service (checked again when the claim is built: an enrolment may have ended since the
    charges were reviewed)."""
    uncovered = sorted({day for day in dates if enrollment is None or not enrollment.active_on(day)})
    if not uncovered:
        return []
    if enrollment is None:
        message = f"The {who} has no enrolment with {payer_name}."
    elif enrollment.status != "enrolled":
        message = f"The {who} is {enrollment.status.replace('_', ' ')} with {payer_name}, not enrolled."
    else:
        message = f"The {who}'s enrolment with {payer_name} does not cover {date_label(uncovered[0])}" + (
            f" (and {len(uncovered) - 1} more date(s))." if len(uncovered) > 1 else "."
        )
    return [
        error(
            ClaimCheckCode.NOT_ENROLLED,
            message,
            field_path,
            "Finish credentialing with the payer, or bill under an enrolled provider.",
        )
    ]
