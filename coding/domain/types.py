"""Typed inputs and outputs of the coding rules (frozen dataclasses; no Django).

`SessionFacts` is what a final note says about one session; `PayerCodingRules` is what a payer
asks of the coding (the payer-rules models map onto it field by field); `CodingResult` is the
answer: charge lines, problems and a plain-language "why" for each decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from core.domain.problems import Problem, Severity
from core.domain.service_types import ServiceType


class Telehealth(StrEnum):
    """How the session was delivered. Values match scheduling's and the notes' `telehealth` field."""

    NONE = ""
    AUDIO_VIDEO = "audio_video"
    AUDIO_ONLY = "audio_only"


class DegreeLevel(StrEnum):
    """The rendering provider's highest degree (drives HM/HN/HO/HP)."""

    LESS_THAN_BACHELOR = "less_than_bachelor"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORAL = "doctoral"


class InteractiveComplexityFactor(StrEnum):
    """The communication factors that allow +90785 (DOMAIN 1)."""

    MALADAPTIVE_COMMUNICATION = "maladaptive_communication"
    CAREGIVER_INTERFERENCE = "caregiver_interference"
    SENTINEL_EVENT = "sentinel_event"
    PLAY_OR_DEVICES = "play_or_devices"
    UNSPECIFIED = "unspecified"  # documented as present, factor not named (e.g. a command-line flag)


class UnitRule(StrEnum):
    """How 15-minute units are counted: per code (CPT) or over the day's timed minutes (CMS)."""

    CPT_MIDPOINT = "cpt_midpoint"
    CMS_8_MINUTE = "cms_8_minute"


class TelehealthPos(StrEnum):
    """Which place of service a telehealth line carries."""

    TELEHEALTH_POS = "telehealth_pos"  # 10 when the patient is at home, else 02
    ALWAYS_02 = "always_02"
    IN_PERSON_POS = "in_person_pos"  # the POS the service would have had in person (e.g. 11)


class CodeKind(StrEnum):
    CPT = "cpt"
    HCPCS = "hcpcs"
    MODIFIER = "modifier"
    POS = "pos"


class CodeUnit(StrEnum):
    NONE = ""  # modifiers and places of service
    MIN15 = "15min"
    MIN30 = "30min"
    SESSION = "session"
    UNTIMED = "untimed"
    PER_DIEM = "per_diem"
    HOUR = "hour"


TIMED_UNIT_MINUTES: Mapping[CodeUnit, int] = MappingProxyType(
    {CodeUnit.MIN15: 15, CodeUnit.MIN30: 30, CodeUnit.HOUR: 60}
)


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """One code-set entry: a CPT/HCPCS code, a modifier or a place of service, with its dates."""

    code: str
    kind: CodeKind
    label: str
    unit: CodeUnit = CodeUnit.NONE
    timed_minutes: int | None = None
    add_on: bool = False
    effective_from: date = date(2013, 1, 1)
    effective_to: date | None = None
    note: str = ""

    def effective_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    @property
    def unit_minutes(self) -> int | None:
        """Minutes per unit for codes billed in units of time (15min, 30min, hour), else None."""
        return TIMED_UNIT_MINUTES.get(self.unit)


@dataclass(frozen=True, slots=True)
class SessionFacts:
    """What a final note says about one session, as the coding rules need it.

    `segment_minutes` are the face-to-face minutes of each segment; `crisis_minutes` the part of
    them spent in crisis (None: all of it, for a crisis service). `place_of_service` is the
    setting documented for the session (for telehealth, 02/10 there says where the patient was;
    otherwise `patient_at_home` does). `rendering_credential` is a practice Credential value
    ("" when unknown); `rendering_degree` overrides the degree that credential usually implies.
    `diagnoses` are the note's ICD-10-CM codes ordered by rank (primary first). `session_ref`
    ties the resulting lines back to the note (e.g. its id).
    """

    service_type: ServiceType
    date_of_service: date
    segment_minutes: tuple[int, ...] = ()
    crisis_minutes: int | None = None
    patient_present: bool | None = None
    telehealth: Telehealth = Telehealth.NONE
    with_em: bool = False
    em_code: str = ""
    interactive_complexity: tuple[InteractiveComplexityFactor, ...] = ()
    rendering_credential: str = ""
    rendering_degree: DegreeLevel | None = None
    place_of_service: str = "11"
    patient_at_home: bool = True
    diagnoses: tuple[str, ...] = ()
    session_ref: str = ""
    instruments: tuple[str, ...] = ()  # standardized instruments scored in the note (96127)

    @property
    def minutes(self) -> int:
        return sum(self.segment_minutes)


@dataclass(frozen=True, slots=True)
class CodeSubstitution:
    """A payer bills `to_code` instead of `from_code` when one of `credentials` renders it.

    E.g. a Medicaid plan: 97153 rendered by an RBT or BHT is billed as H2019.
    """

    from_code: str
    to_code: str
    credentials: frozenset[str]


@dataclass(frozen=True, slots=True)
class PayerScopeRule:
    """A payer's word on who may render: `credentials` rendering `codes` (empty: any code).

    `allowed` False narrows the national scope of practice (the payer does not pay it); True with
    named codes widens it (the payer pays it although the national table would not); True with
    no codes leaves each code to the national table. First matching rule wins.
    """

    credentials: frozenset[str]
    codes: frozenset[str] = frozenset()
    allowed: bool = True


@dataclass(frozen=True, slots=True)
class PayerScope:
    """A payer's narrowing or widening of the scope-of-practice table
    (`coding.domain.scope_of_practice`). `unlisted_allowed` False: credentials no rule lists may
    render nothing for this payer. Filled from the payer's "who renders" rules; not a document key."""

    rules: tuple[PayerScopeRule, ...] = ()
    unlisted_allowed: bool = True


@dataclass(frozen=True, slots=True)
class ServiceCrosswalk:
    """A payer bills `service_type` as `code` (when one of `credentials` renders it; empty: anyone).

    E.g. a state Medicaid plan: case management as T1017, ABA by a technician as H2019, group
    counseling by a CADC as H0005. Without a crosswalk the default coding stays.
    """

    service_type: ServiceType
    code: str
    credentials: frozenset[str] = frozenset()


EVALUATION_CODES = frozenset({"90791", "90792"})  # psychiatric diagnostic evaluations
EVALUATION_REPEAT_MAX_DAYS = 366  # the longest repeat window a payer's rules may set (C13)


@dataclass(frozen=True, slots=True)
class PayerCodingRules:
    """What one payer asks of the coding. Defaults are the CPT rules alone.

    * unit_rule: CPT midpoint per code, or the CMS 8-minute rule over the day's timed minutes.
    * practitioner_modifiers: add HM/HN/HO/HP for the rendering provider's degree.
    * telehealth_pos / video_modifier / audio_only_modifier: how telehealth is shown ("" = none).
    * audio_only_allowed: False when the payer does not pay audio-only sessions.
    * code_substitutions: HCPCS instead of CPT for some credentials (Medicaid technicians).
    * max_units_per_day: code -> the most units the payer pays on one date.
    * distinct_modifier: "59" or an X modifier ("XE") for same-day services that would bundle.
    * crosswalk: the code this payer wants for a service type (and credential).
    * scope: the payer's narrowing/widening of who may render (from its "who renders" rules).
    * evaluation_repeat_days: a diagnostic evaluation (90791/90792) again within this many days of
      the last one with the payer is flagged (pitfall C13; 0 = never).
    * telehealth_configured: whether the payer's telehealth POS and modifiers were set by someone
      (an admin's rules document, or national kind defaults such as Medicare's), not assumed
      (C12). Not a document key: `payer_rules.domain.policy` sets it on every document it reads.
    """

    label: str = "CPT rules (no payer)"
    unit_rule: UnitRule = UnitRule.CPT_MIDPOINT
    practitioner_modifiers: bool = False
    telehealth_pos: TelehealthPos = TelehealthPos.TELEHEALTH_POS
    video_modifier: str = "95"
    audio_only_modifier: str = "93"
    audio_only_allowed: bool = True
    code_substitutions: tuple[CodeSubstitution, ...] = ()
    max_units_per_day: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    distinct_modifier: str = "59"
    crosswalk: tuple[ServiceCrosswalk, ...] = ()
    scope: PayerScope = field(default_factory=PayerScope)
    evaluation_repeat_days: int = 180
    telehealth_configured: bool = False


@dataclass(frozen=True, slots=True)
class ChargeLine:
    """One suggested claim line. `minutes` are the documented minutes behind it (0 if untimed)."""

    code: str
    units: int
    modifiers: tuple[str, ...] = ()
    pos: str = "11"
    diagnosis_pointers: tuple[int, ...] = ()
    minutes: int = 0
    add_on: bool = False
    session_ref: str = ""


@dataclass(frozen=True, slots=True)
class CodingResult:
    """Lines to bill, what is wrong, and why each decision was made (in plain words).

    `diagnoses` is the claim-level diagnosis list (at most 12) the lines' pointers refer to
    (1-based), empty when no diagnoses were given.
    """

    lines: tuple[ChargeLine, ...]
    problems: tuple[Problem, ...]
    why: tuple[str, ...]
    diagnoses: tuple[str, ...] = ()

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)
