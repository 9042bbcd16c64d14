"""Pure pieces of the claim-to-be (the scrubber's input) built from plain values (no Django).

* `DayCharge`: one line of the patient's charges this year (and at least
  `EVALUATION_REPEAT_MAX_DAYS` back) up to the date of service (claims' own rows, read once per
  capture or scrub); `captured_units`, `charge_set_of_note`, `prior_lines`, `prior_visits` and
  `prior_evaluations` answer from them.
* `day_minutes`: crisis and 15-minute timed minutes over the patient's final sessions of the date.
* `line_facts`: a line with what the code set says about it on the date; `own_usage`: what a
  charge set's lines took from each authorization; `level_modifier`: HM/HN/HO/HP by degree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from authorizations.domain.types import AuthorizationFacts, UnitKind
from claims.domain.capture_plan import ChargeRow
from claims.domain.types import LineFacts, PriorLine, PriorVisit
from clinical_notes.domain.checks import segment_minutes, session_minutes
from clinical_notes.domain.types import Segment
from coding.domain.code_sets import CodeCatalog
from coding.domain.families import Family, coding_data
from coding.domain.types import EVALUATION_CODES, CodeKind
from core.domain.service_types import ServiceType


@dataclass(frozen=True, slots=True)
class DayCharge:
    """A line of one of the patient's charge sets (`code` None: a set without lines)."""

    charge_set_id: int
    note_id: int
    payer_id: int | None
    date_of_service: date
    line_number: int = 0
    code: str | None = None
    modifiers: tuple[str, ...] = ()
    units: int = 0
    rendering_provider_id: int | None = None


def charge_set_of_note(charges: Iterable[DayCharge], note_id: int) -> int | None:
    return next((c.charge_set_id for c in charges if c.note_id == note_id), None)


def captured_units(charges: Iterable[DayCharge], *, day: date, exclude_note_id: int) -> dict[str, int]:
    """Units per code on the patient's other notes' charges for `day`."""
    totals: dict[str, int] = defaultdict(int)
    for c in charges:
        if c.date_of_service == day and c.note_id != exclude_note_id and c.code is not None:
            totals[c.code] += c.units
    return dict(sorted(totals.items()))


def prior_lines(
    charges: Iterable[DayCharge], *, day: date, exclude_charge_set_id: int | None
) -> tuple[PriorLine, ...]:
    """The billed lines (units > 0) of the patient's other charge sets of `day`."""
    lines = sorted(
        (
            c
            for c in charges
            if c.date_of_service == day
            and c.charge_set_id != exclude_charge_set_id
            and c.code
            and c.units > 0
        ),
        key=lambda c: (c.charge_set_id, c.line_number),
    )
    return tuple(
        PriorLine(
            source="captured",
            reference=f"note {c.note_id}",
            date_of_service=day,
            code=c.code or "",
            modifiers=c.modifiers,
            units=c.units,
            rendering_provider_id=c.rendering_provider_id,
        )
        for c in lines
    )


def prior_evaluations(
    charges: Iterable[DayCharge], *, day: date, payer_id: int | None, exclude_charge_set_id: int | None
) -> tuple[date, ...]:
    """Dates before `day` on which the patient had a diagnostic evaluation (90791/90792) billed to
    the payer, latest first (pitfall C13; `charges` reach back `EVALUATION_REPEAT_MAX_DAYS`)."""
    if payer_id is None:
        return ()
    found = {
        c.date_of_service
        for c in charges
        if c.payer_id == payer_id
        and c.date_of_service < day
        and c.charge_set_id != exclude_charge_set_id
        and c.code in EVALUATION_CODES
        and c.units > 0
    }
    return tuple(sorted(found, reverse=True))


def prior_visits(
    charges: Iterable[DayCharge],
    *,
    day: date,
    payer_id: int | None,
    note_id: int,
    exclude_charge_set_id: int | None,
) -> tuple[PriorVisit, ...]:
    """The patient's earlier visits with the payer this calendar year (an earlier date, or the
    same date on an older note), with the codes they billed."""
    if payer_id is None:
        return ()
    visits: dict[int, tuple[date, set[str]]] = {}
    for c in charges:
        earlier = c.date_of_service < day or (c.date_of_service == day and c.note_id < note_id)
        if c.payer_id != payer_id or c.date_of_service.year != day.year or not earlier:
            continue
        if c.charge_set_id == exclude_charge_set_id:
            continue
        _, codes = visits.setdefault(c.charge_set_id, (c.date_of_service, set()))
        if c.code and c.units > 0:
            codes.add(c.code)
    return tuple(
        PriorVisit(date_of_service=dos, codes=frozenset(codes)) for _, (dos, codes) in sorted(visits.items())
    )


def day_minutes(
    sessions: Iterable[tuple[ServiceType, Sequence[Segment]]], *, day: date, catalog: CodeCatalog
) -> tuple[int, int]:
    """(crisis minutes, 15-minute timed minutes) over the patient's final sessions of `day`."""
    data = coding_data()
    crisis = timed = 0
    for service_type, segments in sessions:
        minutes = session_minutes(list(segments))
        service = data.service(service_type)
        flagged = [segment_minutes(s) for s in segments if s.is_crisis]
        if service.family is Family.CRISIS:
            crisis += sum(flagged) if flagged else minutes
        else:
            crisis += sum(flagged)
        if service.family is Family.TIMED_UNITS and service.code:
            info = catalog.lookup(service.code, on=day)
            if info is not None and info.unit_minutes == 15:
                timed += minutes
    return crisis, timed


def own_usage(lines: Iterable[ChargeRow], auths: Iterable[AuthorizationFacts]) -> dict[int, int]:
    """What these charges took from each authorization (recorded by the capture/override)."""
    kinds = {a.authorization_id: a.unit_kind for a in auths}
    taken: dict[int, int] = defaultdict(int)
    visit_counted: set[int] = set()
    for line in lines:
        auth_id = line.authorization_id
        if auth_id is None or line.units <= 0 or auth_id not in kinds:
            continue
        if kinds[auth_id] is UnitKind.VISITS:
            if auth_id not in visit_counted:
                taken[auth_id] += 1
                visit_counted.add(auth_id)
        else:
            taken[auth_id] += line.units
    return dict(taken)


def own_usage_by_code(
    lines: Iterable[ChargeRow], auths: Iterable[AuthorizationFacts]
) -> dict[int, dict[str, int]]:
    """What these charges took from each authorization, per code (a visit under its first line's
    code, as `capture_plan.usage_actions` records it): for the authorizations' caps."""
    kinds = {a.authorization_id: a.unit_kind for a in auths}
    taken: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line in lines:
        auth_id = line.authorization_id
        if auth_id is None or line.units <= 0 or auth_id not in kinds:
            continue
        if kinds[auth_id] is UnitKind.VISITS:
            if auth_id not in taken:
                taken[auth_id][line.code] += 1
        else:
            taken[auth_id][line.code] += line.units
    return {auth_id: dict(by_code) for auth_id, by_code in taken.items()}


def without_own_usage(
    lines: Iterable[ChargeRow], auths: Iterable[AuthorizationFacts]
) -> tuple[AuthorizationFacts, ...]:
    """The authorizations as if these charges had taken nothing (in total and in each cap)."""
    auths, lines = tuple(auths), tuple(lines)
    taken = own_usage(lines, auths)
    by_code = own_usage_by_code(lines, auths)
    return tuple(
        a.with_used(
            {code: -units for code, units in by_code.get(a.authorization_id, {}).items()},
            total=-taken.get(a.authorization_id, 0),
        )
        for a in auths
    )


def line_facts(line: ChargeRow, *, day: date, catalog: CodeCatalog) -> LineFacts:
    info = catalog.lookup(line.code, on=day)
    known = info is not None and info.kind in (CodeKind.CPT, CodeKind.HCPCS)
    return LineFacts(
        line_number=line.line_number,
        code=line.code,
        units=line.units,
        modifiers=line.modifiers,
        pos=line.pos,
        diagnosis_pointers=line.diagnosis_pointers,
        documented_minutes=line.documented_minutes,
        unit_minutes=info.unit_minutes if known and info is not None else None,
        add_on=line.add_on,
        code_known=known,
        pos_known=catalog.lookup(line.pos, on=day, kind=CodeKind.POS) is not None,
        unknown_modifiers=tuple(
            m for m in line.modifiers if catalog.lookup(m, on=day, kind=CodeKind.MODIFIER) is None
        ),
        auth_number=line.auth_number,
    )


def level_modifier(credential: str) -> str:
    data = coding_data()
    degree = data.degree_for(credential)
    return data.degree_modifier[degree] if degree is not None else ""
