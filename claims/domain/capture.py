"""Pure steps of charge capture and of a biller's override (no Django).

* `lines_for_note`: a note's lines out of the coding of the patient's whole day (the CMS
  8-minute rule, crisis time and same-day modifiers need the day), minus what the day's other
  notes already captured.
* `fee_for`: the fee schedule entry for a line (the payer's, else the practice default; an
  entry for the exact modifiers first, then one for the code alone).
* `override_problems`: what is wrong with a biller's change to a line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from coding.domain.types import ChargeLine, CodingResult
from core.domain.problems import Problem

MAX_MODIFIERS = 4
MAX_POINTERS = 4
MAX_UNITS = 999
MAX_REASON_LENGTH = 500
_MODIFIER_SHAPE = re.compile(r"^[A-Z0-9]{2}$")
_POS_SHAPE = re.compile(r"^\d{2}$")
_CODE_SHAPE = re.compile(r"^[A-Z0-9]{5}$")


class OverrideCode:
    REASON_REQUIRED = "override_reason_required"
    CODE_UNKNOWN = "override_code_unknown"
    UNITS_INVALID = "override_units_invalid"
    MODIFIER_INVALID = "override_modifier_invalid"
    POS_UNKNOWN = "override_pos_unknown"
    POINTER_INVALID = "override_pointer_invalid"
    NO_CHANGE = "override_no_change"


# ---- the note's share of the day --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoteLines:
    lines: tuple[ChargeLine, ...]
    why: tuple[str, ...]


def lines_for_note(result: CodingResult, *, note_ref: str, captured_units: Mapping[str, int]) -> NoteLines:
    """This note's lines: the day's units per code, less the units the day's other notes already
    captured, taken from this note's own lines first, then from lines the day earned jointly
    (e.g. +90840 once the day's crisis time passes 74 minutes). `captured_units`: code -> units
    on the other notes' charges for the same patient and date."""
    left: dict[str, int] = defaultdict(int)
    for line in result.lines:
        left[line.code] += line.units
    for code, units in captured_units.items():
        left[code] -= units
    taken: dict[int, int] = {}
    own = [i for i, line in enumerate(result.lines) if line.session_ref == note_ref]
    others = [i for i, line in enumerate(result.lines) if line.session_ref != note_ref]
    for index in own + others:
        line = result.lines[index]
        take = min(max(left[line.code], 0), line.units)
        left[line.code] -= take
        taken[index] = take
    why: list[str] = []
    lines: list[ChargeLine] = []
    for index, line in enumerate(result.lines):
        take = taken[index]
        if take == 0:
            if line.session_ref == note_ref:
                why.append(
                    f"{line.code}: the day's other notes already carry these units; nothing more here."
                )
            continue
        if line.session_ref != note_ref:
            why.append(
                f"{line.code} x{take}: earned by the day's total with another session of the date; billed here."
            )
        elif take < line.units:
            why.append(
                f"{line.code}: {line.units - take} of the day's {line.units} unit(s) are on another note's charges."
            )
        lines.append(replace(line, units=take, session_ref=note_ref))
    for code in sorted(c for c, units in left.items() if units < 0):
        why.append(
            f"{code}: the day's other notes carry {-left[code]} unit(s) more than the day now earns; review them."
        )
    return NoteLines(lines=tuple(lines), why=tuple(why))


# ---- fees -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeeEntry:
    """A fee schedule row: `payer_id` None is the practice's default schedule."""

    payer_id: int | None
    code: str
    modifiers_key: str  # "" = the code with any modifiers
    amount_cents: int
    effective_from: date
    effective_to: date | None = None

    def effective_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


def modifiers_key(modifiers: Iterable[str]) -> str:
    """The fee schedule's key for a set of modifiers: sorted, comma-joined ("HO,95")."""
    return ",".join(sorted({m.strip().upper() for m in modifiers if m.strip()}))


@dataclass(frozen=True, slots=True)
class Fee:
    unit_cents: int
    entry: FeeEntry | None
    why: str

    @property
    def source(self) -> str:
        if self.entry is None:
            return "none"
        return "payer" if self.entry.payer_id is not None else "default"


def fee_for(
    entries: Sequence[FeeEntry], *, payer_id: int | None, code: str, modifiers: Iterable[str], on: date
) -> Fee:
    """The unit fee for `code` with `modifiers` on `on` (0 with a reason when no entry fits)."""
    key = modifiers_key(modifiers)
    live = [e for e in entries if e.code == code and e.effective_on(on)]
    tiers: list[tuple[int | None, str]] = []
    if payer_id is not None:
        tiers += [(payer_id, key), (payer_id, "")]
    tiers += [(None, key), (None, "")]
    for tier_payer, tier_key in dict.fromkeys(tiers):
        matches = [e for e in live if e.payer_id == tier_payer and e.modifiers_key == tier_key]
        if matches:
            entry = max(matches, key=lambda e: e.effective_from)
            schedule = "the payer's fee schedule" if tier_payer is not None else "the practice's default fees"
            which = f"{code}-{tier_key.replace(',', '-')}" if tier_key else code
            return Fee(unit_cents=entry.amount_cents, entry=entry, why=f"Fee for {which} from {schedule}.")
    return Fee(unit_cents=0, entry=None, why=f"No fee schedule entry for {code} on {on}: the fee is 0.00.")


# ---- a biller's override ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineOverride:
    """The line as the biller wants it (every field; unchanged fields repeat the current value)."""

    code: str
    units: int
    modifiers: tuple[str, ...]
    pos: str
    diagnosis_pointers: tuple[int, ...]
    reason: str


def normalized_override(change: LineOverride) -> LineOverride:
    return LineOverride(
        code=change.code.strip().upper(),
        units=change.units,
        modifiers=tuple(m.strip().upper() for m in change.modifiers if m.strip()),
        pos=change.pos.strip(),
        diagnosis_pointers=tuple(change.diagnosis_pointers),
        reason=change.reason.strip(),
    )


def override_problems(
    change: LineOverride,
    *,
    current: LineOverride,
    code_known: bool,
    pos_known: bool,
    unknown_modifiers: Sequence[str],
    diagnosis_count: int,
) -> list[Problem]:
    """Bad input in a biller's override (every problem is an error; nothing is saved when any).

    `code_known`/`pos_known`/`unknown_modifiers` are the code set's answers on the date of
    service; `diagnosis_count` is how many diagnoses the claim lists (pointers 1..count).
    """
    problems: list[Problem] = []
    if not change.reason:
        problems.append(
            Problem(
                OverrideCode.REASON_REQUIRED,
                "Say why the line is changed (the reason is recorded).",
                "reason",
            )
        )
    elif len(change.reason) > MAX_REASON_LENGTH:
        problems.append(
            Problem(
                OverrideCode.REASON_REQUIRED,
                f"Keep the reason under {MAX_REASON_LENGTH} characters.",
                "reason",
            )
        )
    if not _CODE_SHAPE.match(change.code) or not code_known:
        problems.append(
            Problem(
                OverrideCode.CODE_UNKNOWN,
                f"{change.code or 'The code'} is not a CPT/HCPCS code in the code set on the date of service.",
                "code",
            )
        )
    if change.units < 0:
        problems.append(
            Problem(OverrideCode.UNITS_INVALID, "Units cannot be negative (0 drops the line).", "units")
        )
    elif change.units > MAX_UNITS:
        problems.append(Problem(OverrideCode.UNITS_INVALID, f"Units are at most {MAX_UNITS}.", "units"))
    bad_shape = [m for m in change.modifiers if not _MODIFIER_SHAPE.match(m)]
    if bad_shape:
        problems.append(
            Problem(
                OverrideCode.MODIFIER_INVALID,
                f"A modifier is two letters or digits: {', '.join(bad_shape)}.",
                "modifiers",
            )
        )
    elif unknown_modifiers:
        problems.append(
            Problem(
                OverrideCode.MODIFIER_INVALID,
                f"Unknown modifier(s) on the date of service: {', '.join(unknown_modifiers)}.",
                "modifiers",
            )
        )
    if len(change.modifiers) > MAX_MODIFIERS or len(set(change.modifiers)) != len(change.modifiers):
        problems.append(
            Problem(
                OverrideCode.MODIFIER_INVALID,
                f"A line holds at most {MAX_MODIFIERS} modifiers, each once.",
                "modifiers",
            )
        )
    if not _POS_SHAPE.match(change.pos) or not pos_known:
        problems.append(
            Problem(
                OverrideCode.POS_UNKNOWN,
                f"{change.pos or 'The place of service'} is not a place-of-service code.",
                "pos",
            )
        )
    pointers = change.diagnosis_pointers
    missing = [p for p in pointers if p < 1 or p > diagnosis_count]
    if missing:
        problems.append(
            Problem(
                OverrideCode.POINTER_INVALID,
                f"Diagnosis {', '.join(map(str, missing))} does not exist: the claim lists {diagnosis_count} "
                f"{'diagnosis' if diagnosis_count == 1 else 'diagnoses'}.",
                "diagnosis_pointers",
            )
        )
    elif len(pointers) > MAX_POINTERS or len(set(pointers)) != len(pointers):
        problems.append(
            Problem(
                OverrideCode.POINTER_INVALID,
                f"A line points at most at {MAX_POINTERS} diagnoses, each once.",
                "diagnosis_pointers",
            )
        )
    if not problems and replace(change, reason="") == replace(current, reason=""):
        problems.append(Problem(OverrideCode.NO_CHANGE, "Nothing was changed on the line.", "__all__"))
    return problems
