"""The decisions of charge capture, as pure functions over plain values (no Django).

`plan_capture(facts)` turns one final note and what was read around it (the patient's other
final sessions of the date, the primary coverage, the payer's rules, the code set, what the
day's other notes already captured, the diagnoses' ICD-10-CM answers, the supervisor on the
date, the authorizations and the fee schedule) into a `CapturePlan`: the lines with fees and
authorizations, the payer and supervisor the claim names, and the plain-language "why".

Each step is its own function, tested alone: `payer_why`, `day_share`, `diagnosis_plan`,
`supervisor_billing`, `authorization_for_line`, `line_fee`, `usage_actions`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from authorizations.domain.matching import authorization_for
from authorizations.domain.types import AuthorizationFacts, ServiceToAuthorize, UnitKind
from claims.domain.capture import FeeEntry, NoteLines, fee_for, lines_for_note
from claims.domain.types import CoverageFacts
from coding.domain.code_sets import CodeCatalog
from coding.domain.icd10 import Icd10Check
from coding.domain.pointers import plan_diagnosis_pointers
from coding.domain.rules import code_day
from coding.domain.types import ChargeLine, SessionFacts
from core.domain.problems import Problem
from core.formatting import date_label
from payer_rules.domain.policy import PayerPolicy, RenderingBilling, rendering_decision


@dataclass(frozen=True, slots=True)
class CaptureNote:
    """The final note being captured. `supervisor_id`: who co-signed it (None when nobody did)."""

    note_id: int
    practice_id: int
    patient_id: int
    author_id: int
    author_credential: str
    supervisor_id: int | None
    date_of_service: date
    session: SessionFacts


@dataclass(frozen=True, slots=True)
class CaptureFacts:
    """Everything capture decides from. `others`: the patient's other final sessions of the date
    (oldest note first); `captured_units`: code -> units on those notes' charges;
    `diagnoses`: the note's ICD-10-CM answers by rank; `supervisor_on_file`: the author's
    supervisor on the date from the supervision records."""

    note: CaptureNote
    others: tuple[SessionFacts, ...]
    coverage: CoverageFacts | None
    policy: PayerPolicy
    catalog: CodeCatalog
    captured_units: Mapping[str, int]
    diagnoses: tuple[Icd10Check, ...]
    supervisor_on_file: int | None
    authorizations: tuple[AuthorizationFacts, ...]
    fee_entries: tuple[FeeEntry, ...]


@dataclass(frozen=True, slots=True)
class ChargeRow:
    """A charge line's values, planned by capture or read back from the database."""

    line_number: int
    code: str
    units: int
    modifiers: tuple[str, ...]
    pos: str
    diagnosis_pointers: tuple[int, ...]
    documented_minutes: int
    add_on: bool
    unit_fee_cents: int
    fee_cents: int
    fee_source: str
    authorization_id: int | None
    auth_number: str


@dataclass(frozen=True, slots=True)
class CapturePlan:
    payer_id: int | None
    coverage_id: int | None
    self_pay: bool
    supervising_id: int | None
    supervisor_billing: str
    rules_label: str
    claim_diagnoses: tuple[str, ...]
    lines: tuple[ChargeRow, ...]
    why: tuple[str, ...]
    coding_problems: tuple[Problem, ...]


# ---- the steps --------------------------------------------------------------------------------------


def payer_why(coverage: CoverageFacts | None, day: date) -> str:
    if coverage is None:
        return f"No primary coverage active on {date_label(day)}: self-pay, coded by the CPT rules alone."
    return f"Payer: {coverage.payer_name}, the primary coverage active on {date_label(day)}."


def _line_keys(lines: Sequence[ChargeLine]) -> list[tuple[str, int, tuple[str, ...]]]:
    return [(line.code, line.units, tuple(line.modifiers)) for line in lines]


def _session_problems(problems: Sequence[Problem], index: int) -> list[Problem]:
    """The coding problems about this note's session (or about the day as a whole)."""
    mine = f"sessions[{index}]"
    return [p for p in problems if not p.field.startswith("sessions[") or p.field.startswith(mine)]


@dataclass(frozen=True, slots=True)
class DayShare:
    share: NoteLines
    why: tuple[str, ...]
    problems: tuple[Problem, ...]


def _session_order(session: SessionFacts) -> int:
    return int(session.session_ref.split(":")[1])


def day_share(
    session: SessionFacts,
    others: Sequence[SessionFacts],
    policy: PayerPolicy,
    *,
    catalog: CodeCatalog,
    captured_units: Mapping[str, int],
) -> DayShare:
    """This note's lines out of the coding of the patient's whole day (see `lines_for_note`),
    with the coding's why (the note's own when the day changes nothing on it)."""
    sessions = sorted([*others, session], key=_session_order)
    day_result = code_day(sessions, policy.coding, catalog=catalog)
    share = lines_for_note(day_result, note_ref=session.session_ref, captured_units=captured_units)
    why: list[str] = []
    coding_why = day_result.why
    if others:
        alone = code_day([session], policy.coding, catalog=catalog)
        same = _line_keys(alone.lines) == _line_keys(share.lines)
        effect = (
            "the day changes nothing on this note's lines"
            if same
            else "the day's totals change this note's lines"
        )
        why.append(
            f"Coded with the patient's {len(others)} other final session(s) of {date_label(session.date_of_service)}: {effect}."
        )
        coding_why = alone.why if same else day_result.why
    problems = _session_problems(day_result.problems, sessions.index(session))
    return DayShare(share=share, why=(*why, *coding_why, *share.why), problems=tuple(problems))


@dataclass(frozen=True, slots=True)
class DiagnosisPlan:
    claim_codes: tuple[str, ...]
    pointers: tuple[int, ...]
    why: tuple[str, ...]
    problems: tuple[Problem, ...]


def diagnosis_plan(checks: Sequence[Icd10Check]) -> DiagnosisPlan:
    """The claim's diagnoses (normalised where the code set knows them) and the lines' pointers."""
    claim_codes = tuple(dict.fromkeys(c.code or c.raw for c in checks))
    if not claim_codes:
        return DiagnosisPlan(claim_codes=(), pointers=(), why=(), problems=())
    plan = plan_diagnosis_pointers([claim_codes])
    return DiagnosisPlan(
        claim_codes=claim_codes, pointers=tuple(plan.pointers[0]), why=plan.why, problems=plan.problems
    )


@dataclass(frozen=True, slots=True)
class People:
    """Who the claim names besides the performer, and why."""

    supervising_id: int | None
    supervisor_billing: str
    why: tuple[str, ...] = ()


def supervisor_billing(
    policy: PayerPolicy, *, insured: bool, credential: str, codes: Sequence[str], supervisor_id: int | None
) -> People:
    """The supervisor, when the payer bills this credential's codes under one (as supervising
    provider, or as the rendering provider); nobody for self-pay."""
    if not insured:
        return People(supervising_id=None, supervisor_billing="")
    decisions = [
        rendering_decision(policy, credential=credential, code=code) for code in dict.fromkeys(codes)
    ]
    billings = {d.billing for d in decisions}
    why = [d.why for d in decisions if d.supervisor_on_claim or not d.allowed]
    if RenderingBilling.SUPERVISOR_RENDERS in billings:
        billing = RenderingBilling.SUPERVISOR_RENDERS.value
    elif RenderingBilling.WITH_SUPERVISOR in billings:
        billing = RenderingBilling.WITH_SUPERVISOR.value
    else:
        return People(supervising_id=None, supervisor_billing="", why=tuple(why))
    if supervisor_id is None:
        why.append(f"No supervisor of the {credential} is on file for the date of service.")
    return People(supervising_id=supervisor_id, supervisor_billing=billing, why=tuple(why))


def authorization_for_line(
    auths: Sequence[AuthorizationFacts],
    *,
    patient_id: int,
    payer_id: int,
    code: str,
    day: date,
    provider_id: int,
    units: int,
) -> AuthorizationFacts | None:
    return authorization_for(
        ServiceToAuthorize(
            patient_id=patient_id, payer_id=payer_id, code=code, on=day, provider_id=provider_id, units=units
        ),
        auths,
    )


@dataclass(frozen=True, slots=True)
class LineFee:
    unit_cents: int
    cents: int
    source: str
    why: str


def line_fee(
    entries: Sequence[FeeEntry],
    *,
    payer_id: int | None,
    code: str,
    modifiers: Sequence[str],
    units: int,
    day: date,
) -> LineFee:
    fee = fee_for(entries, payer_id=payer_id, code=code, modifiers=modifiers, on=day)
    return LineFee(
        unit_cents=fee.unit_cents, cents=fee.unit_cents * max(units, 0), source=fee.source, why=fee.why
    )


@dataclass(frozen=True, slots=True)
class UsageAction:
    """Record (units > 0) or remove (units 0) what a charge took from an authorization."""

    authorization_id: int
    source_id: str
    units: int
    code: str
    auth_number: str


@dataclass(frozen=True, slots=True)
class UsageLine:
    charge_id: int
    code: str
    units: int
    authorization_id: int | None
    auth_number: str


def usage_actions(
    charge_set_id: int, lines: Sequence[UsageLine], auths: Sequence[AuthorizationFacts]
) -> list[UsageAction]:
    """What to tell the authorizations about these lines: one visit per charge set for an
    authorization counted in visits, the line's units otherwise (idempotent per source)."""
    kinds = {a.authorization_id: a.unit_kind for a in auths}
    actions: list[UsageAction] = []
    visits_done: set[int] = set()
    for line in lines:
        auth_id = line.authorization_id
        if auth_id is None or auth_id not in kinds:
            continue
        if kinds[auth_id] is UnitKind.VISITS:
            if auth_id in visits_done:
                continue
            visits_done.add(auth_id)
            source, units = f"charge-set:{charge_set_id}", 1
        else:
            source, units = f"charge-line:{line.charge_id}", line.units
        actions.append(UsageAction(auth_id, source, units, line.code, line.auth_number))
    return actions


# ---- the plan ---------------------------------------------------------------------------------------


def _planned_lines(
    facts: CaptureFacts, lines: Sequence[ChargeLine], pointers: tuple[int, ...]
) -> tuple[list[ChargeRow], list[str]]:
    note, day = facts.note, facts.note.date_of_service
    payer_id = facts.coverage.payer_id if facts.coverage is not None else None
    planned: list[ChargeRow] = []
    why: list[str] = []
    for number, line in enumerate(lines, start=1):
        fee = line_fee(
            facts.fee_entries,
            payer_id=payer_id,
            code=line.code,
            modifiers=line.modifiers,
            units=line.units,
            day=day,
        )
        why.append(fee.why)
        auth = None
        if payer_id is not None:
            auth = authorization_for_line(
                facts.authorizations,
                patient_id=note.patient_id,
                payer_id=payer_id,
                code=line.code,
                day=day,
                provider_id=note.author_id,
                units=line.units,
            )
            if auth is not None:
                why.append(f"{line.code}: authorization {auth.number} covers {date_label(day)}.")
        planned.append(
            ChargeRow(
                line_number=number,
                code=line.code,
                units=line.units,
                modifiers=tuple(line.modifiers),
                pos=line.pos,
                diagnosis_pointers=pointers,
                documented_minutes=line.minutes,
                add_on=line.add_on,
                unit_fee_cents=fee.unit_cents,
                fee_cents=fee.cents,
                fee_source=fee.source,
                authorization_id=auth.authorization_id if auth is not None else None,
                auth_number=auth.number if auth is not None else "",
            )
        )
    return planned, why


def plan_capture(facts: CaptureFacts) -> CapturePlan:
    """One final note's charges (see the module docstring)."""
    note, coverage = facts.note, facts.coverage
    day = day_share(
        note.session, facts.others, facts.policy, catalog=facts.catalog, captured_units=facts.captured_units
    )
    diagnoses = diagnosis_plan(facts.diagnoses)
    people = supervisor_billing(
        facts.policy,
        insured=coverage is not None,
        credential=note.author_credential,
        codes=[line.code for line in day.share.lines],
        supervisor_id=note.supervisor_id if note.supervisor_id is not None else facts.supervisor_on_file,
    )
    lines, lines_why = _planned_lines(facts, day.share.lines, diagnoses.pointers)
    why = [payer_why(coverage, note.date_of_service), *day.why, *diagnoses.why, *people.why, *lines_why]
    if not lines:
        why.append("Nothing on this note is billable (see the coding notes).")
    return CapturePlan(
        payer_id=coverage.payer_id if coverage is not None else None,
        coverage_id=coverage.coverage_id if coverage is not None else None,
        self_pay=coverage is None,
        supervising_id=people.supervising_id,
        supervisor_billing=people.supervisor_billing,
        rules_label=facts.policy.coding.label,
        claim_diagnoses=diagnoses.claim_codes,
        lines=tuple(lines),
        why=tuple(dict.fromkeys(why)),
        coding_problems=(*day.problems, *diagnoses.problems),
    )
