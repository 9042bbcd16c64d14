"""The claim-to-be: every fact the scrubber judges, as frozen dataclasses (no Django).

`claims.selectors.claim_to_be_for_charge_set` gathers these from the database for one note's
charge set; tests build them by hand. Nothing here queries, saves or reads the clock: `today`
is a field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from authorizations.domain.types import AuthorizationFacts
from core.domain.service_types import ServiceType
from patients.domain.types import ConsentFacts
from payer_rules.domain.policy import PayerPolicy


class ChargeStatus(StrEnum):
    """Where a note's charges stand (see `claims.domain.status`)."""

    CAPTURED = "captured"  # created from the final note, not scrubbed yet
    ON_HOLD = "on_hold"  # the scrubber found errors: fix them before a claim is built
    READY = "ready"  # no errors remain: ready for a biller's review / a claim
    REVIEWED = "reviewed"  # no errors, and a biller reviewed the lines and the "why"


CHARGE_STATUS_LABELS: Mapping[ChargeStatus, str] = MappingProxyType(
    {
        ChargeStatus.CAPTURED: "Captured",
        ChargeStatus.ON_HOLD: "On hold",
        ChargeStatus.READY: "Ready",
        ChargeStatus.REVIEWED: "Reviewed",
    }
)


@dataclass(frozen=True, slots=True)
class PatientFacts:
    patient_id: int
    date_of_birth: date
    in_part2_program: bool = False
    consents: tuple[ConsentFacts, ...] = ()


@dataclass(frozen=True, slots=True)
class CoverageFacts:
    """The coverage billed."""

    coverage_id: int
    payer_id: int
    payer_name: str
    member_id: str
    effective_on: date
    terminates_on: date | None = None
    payer_kind: str = ""  # payers.Payer.Kind values ("medicare", "medicaid", "commercial", ...)

    @property
    def is_medicare(self) -> bool:
        return self.payer_kind == "medicare"


@dataclass(frozen=True, slots=True)
class EligibilityFacts:
    """The coverage's finished eligibility check nearest the date of service (eligibility app).

    `verified_for`: that check's date of service, None when no finished check lies within
    `window_days` (the payer's rule) of the claim's date. `covered`: the 271 says the coverage
    holds on that date (`reason` says why not); visits and authorization as the 271 gave them."""

    verified_for: date | None
    window_days: int
    covered: bool = True
    reason: str = ""
    visit_limit: int | None = None
    visits_left: int | None = None
    auth_required: bool = False


@dataclass(frozen=True, slots=True)
class EnrollmentFacts:
    status: str  # payers.PayerEnrollment.Status values ("enrolled", "pending", ...)
    effective_on: date | None = None
    ends_on: date | None = None

    def active_on(self, day: date) -> bool:
        if self.status != "enrolled":
            return False
        if self.effective_on is not None and day < self.effective_on:
            return False
        return self.ends_on is None or day <= self.ends_on


@dataclass(frozen=True, slots=True)
class LicenseFact:
    issued_on: date | None
    expires_on: date

    def valid_on(self, day: date) -> bool:
        return (self.issued_on is None or self.issued_on <= day) and day <= self.expires_on


@dataclass(frozen=True, slots=True)
class ClaimProvider:
    """A rendering or supervising provider as the claim would name them.

    `level_modifier`: the practitioner-level modifier their degree implies (HM/HN/HO/HP, "" if
    unknown). `supervised`: the credential works under a supervisor (techs, BCaBA, LMSW...): no
    licence of their own is required, and payers that want co-signatures want theirs.
    `enrollment` None: no enrolment with this payer on file.
    """

    provider_id: int
    name: str
    npi: str
    credential: str
    level_modifier: str = ""
    supervised: bool = False
    licenses: tuple[LicenseFact, ...] = ()
    enrollment: EnrollmentFacts | None = None


@dataclass(frozen=True, slots=True)
class NoteFacts:
    """The final note behind the charges. Minutes are face-to-face minutes.

    `crisis_minutes_on_date`: the patient's crisis minutes over all final notes that date.
    `timed_minutes_on_date`: minutes of 15-minute timed services that date (CMS 8-minute rule).
    `requires_cosign`: what the notes decided at signing (the author's credential, or the payer
    with a supervised author); the scrubber asks again with today's payer rules.
    """

    note_id: int
    status: str
    service_type: ServiceType
    minutes: int
    requires_cosign: bool = False
    cosigned: bool = False
    author_has_supervisor: bool = False  # a supervisor of record on the date of service
    telehealth: str = ""  # "", "audio_video", "audio_only"
    patient_at_home: bool = False
    place_of_service: str = ""  # the note's place of service ("" when not known)
    crisis_minutes_on_date: int = 0
    timed_minutes_on_date: int = 0

    @property
    def is_final(self) -> bool:
        return self.status == "final"


@dataclass(frozen=True, slots=True)
class LineFacts:
    """One charge line, with what the code set says about its code on the date of service.

    `documented_minutes`: the minutes behind the line when it was coded (they don't change when
    a biller overrides the code). `unit_minutes`: 15/30/60 for codes billed in units of time,
    None otherwise. `code_known` / `pos_known`: in the code set on the date of service.
    `unknown_modifiers`: modifiers the code set does not hold on the date.
    """

    line_number: int
    code: str
    units: int
    modifiers: tuple[str, ...] = ()
    pos: str = "11"
    diagnosis_pointers: tuple[int, ...] = ()
    documented_minutes: int = 0
    unit_minutes: int | None = None
    add_on: bool = False
    code_known: bool = True
    pos_known: bool = True
    unknown_modifiers: tuple[str, ...] = ()
    auth_number: str = ""


@dataclass(frozen=True, slots=True)
class DiagnosisFacts:
    """A claim diagnosis (pointer n = the nth item) and the ICD-10-CM answer for the date."""

    code: str
    valid: bool = True
    billable: bool = True
    reason: str = ""
    fiscal_year: int | None = None  # the date of service's ICD-10-CM year
    checked_against: int | None = None  # the year whose table answered (another year: not loaded)


@dataclass(frozen=True, slots=True)
class PriorLine:
    """A line already captured (another note's charges) or billed for this patient."""

    source: str  # "captured" or "billed"
    reference: str  # e.g. "note 12" — shown in the message
    date_of_service: date
    code: str
    modifiers: tuple[str, ...] = ()
    units: int = 1
    rendering_provider_id: int | None = None


@dataclass(frozen=True, slots=True)
class PriorVisit:
    """An earlier visit (another note's charges) with the same payer in the same calendar year."""

    date_of_service: date
    codes: frozenset[str]


@dataclass(frozen=True, slots=True)
class ClaimToBe:
    """One note's charges as a claim would carry them, with everything needed to judge it.

    `coverage` None and `self_pay` True: nothing goes to a payer (the patient is billed).
    `policy`: the payer's rules on the date of service (`payer_rules.selectors.payer_policy_on`; the
    empty policy for self-pay). `rendering` is who performed the service (the note's author);
    `supervising` their supervisor on the date, when there is one. The payer's rules decide which
    of them the claim names (`payer_rules.domain.policy.rendering_decision`).
    `authorizations`: the patient's authorizations with this payer (authorizations app), `used`
    not counting what these charges took.
    `prior_lines`: the patient's other captured/billed lines (the scrubber compares dates).
    `prior_visits`: the patient's earlier visits with this payer this calendar year.
    `prior_evaluations`: dates of the patient's earlier diagnostic evaluations (90791/90792) with
    this payer, latest first, up to a year back.
    """

    today: date
    date_of_service: date
    patient: PatientFacts
    note: NoteFacts
    lines: tuple[LineFacts, ...]
    coverage: CoverageFacts | None = None
    eligibility: EligibilityFacts | None = None  # None: not looked up (no findings)
    self_pay: bool = False
    policy: PayerPolicy = field(default_factory=PayerPolicy)
    billing_npi: str = ""
    rendering: ClaimProvider | None = None
    supervising: ClaimProvider | None = None
    diagnoses: tuple[DiagnosisFacts, ...] = ()
    authorizations: tuple[AuthorizationFacts, ...] = ()
    prior_lines: tuple[PriorLine, ...] = ()
    prior_visits: tuple[PriorVisit, ...] = ()
    prior_evaluations: tuple[date, ...] = ()

    def visits_before(self, codes: frozenset[str] | tuple[str, ...]) -> int:
        """Earlier visits this calendar year with any of `codes` (a visit: one note's charges)."""
        wanted = frozenset(codes)
        return sum(
            1
            for visit in self.prior_visits
            if visit.date_of_service.year == self.date_of_service.year and visit.codes & wanted
        )
