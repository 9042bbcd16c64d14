"""A biller's change to one charge line, decided as a pure function (no Django).

`plan_override(change, context)` normalises the change, checks it against the code set on the
date of service and the claim's diagnoses (`override_problems`), and, when it is good, gives
the line's new values: the fee for the new code and modifiers, the authorization that covers
it (insured charges only), and the authorization to give back when the line leaves it.
`plan_line_add` does the same for a line a biller adds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from authorizations.domain.types import AuthorizationFacts
from claims.domain.capture import (
    FeeEntry,
    LineOverride,
    OverrideCode,
    normalized_override,
    override_problems,
)
from claims.domain.capture_plan import ChargeRow, authorization_for_line, line_fee
from coding.domain.code_sets import CodeCatalog
from coding.domain.families import coding_data
from coding.domain.types import CodeKind
from core.domain.problems import Problem


@dataclass(frozen=True, slots=True)
class OverrideContext:
    """The stored line and what surrounds it. `payer_id` None or `self_pay`: no authorization."""

    current: ChargeRow
    day: date
    catalog: CodeCatalog
    diagnosis_count: int
    payer_id: int | None
    self_pay: bool
    patient_id: int
    rendering_provider_id: int
    fee_entries: tuple[FeeEntry, ...]
    authorizations: tuple[AuthorizationFacts, ...]


@dataclass(frozen=True, slots=True)
class OverridePlan:
    change: LineOverride  # normalised
    problems: tuple[Problem, ...]  # nothing is saved when there are any
    line: ChargeRow  # the new values (the current ones when there are problems)
    released_authorization_id: int | None = None  # the line no longer bills against it


def _as_override(line: ChargeRow) -> LineOverride:
    return LineOverride(
        code=line.code,
        units=line.units,
        modifiers=line.modifiers,
        pos=line.pos,
        diagnosis_pointers=line.diagnosis_pointers,
        reason="",
    )


def _problems(change: LineOverride, ctx: OverrideContext) -> list[Problem]:
    catalog, day = ctx.catalog, ctx.day
    info = catalog.lookup(change.code, on=day)
    return override_problems(
        change,
        current=_as_override(ctx.current),
        code_known=info is not None and info.kind in (CodeKind.CPT, CodeKind.HCPCS),
        pos_known=catalog.lookup(change.pos, on=day, kind=CodeKind.POS) is not None,
        unknown_modifiers=[
            m for m in change.modifiers if catalog.lookup(m, on=day, kind=CodeKind.MODIFIER) is None
        ],
        diagnosis_count=ctx.diagnosis_count,
    )


def plan_override(change: LineOverride, ctx: OverrideContext) -> OverridePlan:
    change = normalized_override(change)
    problems = _problems(change, ctx)
    if problems:
        return OverridePlan(change=change, problems=tuple(problems), line=ctx.current)
    current = ctx.current
    fee = line_fee(
        ctx.fee_entries,
        payer_id=ctx.payer_id,
        code=change.code,
        modifiers=change.modifiers,
        units=change.units,
        day=ctx.day,
    )
    auth_id, auth_number = current.authorization_id, current.auth_number
    if ctx.payer_id is not None and not ctx.self_pay:
        auth = authorization_for_line(
            ctx.authorizations,
            patient_id=ctx.patient_id,
            payer_id=ctx.payer_id,
            code=change.code,
            day=ctx.day,
            provider_id=ctx.rendering_provider_id,
            units=change.units,
        )
        auth_id = auth.authorization_id if auth is not None else None
        auth_number = auth.number if auth is not None else ""
    line = replace(
        current,
        code=change.code,
        units=change.units,
        modifiers=change.modifiers,
        pos=change.pos,
        diagnosis_pointers=change.diagnosis_pointers,
        unit_fee_cents=fee.unit_cents,
        fee_cents=fee.cents,
        fee_source=fee.source,
        authorization_id=auth_id,
        auth_number=auth_number,
    )
    released = current.authorization_id if current.authorization_id not in (None, auth_id) else None
    return OverridePlan(change=change, problems=(), line=line, released_authorization_id=released)


MAX_LINES = 50  # lines on one note's charges (an 837P claim holds at most 50 service lines)


def plan_line_add(
    change: LineOverride, ctx: OverrideContext, *, line_count: int, documented_minutes: int
) -> OverridePlan:
    """A line a biller adds to a note's charges (say an E/M visit the note named but nothing
    coded, or a missed add-on), checked like an override, with a reason: at least one unit; the
    fee and the authorization as for an override. `ctx.current` is ignored: the line is new
    (number `line_count + 1`); `documented_minutes`: the note's minutes behind it."""
    blank = ChargeRow(
        line_number=line_count + 1,
        code="",
        units=0,
        modifiers=(),
        pos="",
        diagnosis_pointers=(),
        documented_minutes=documented_minutes,
        add_on=change.code.strip().upper() in coding_data().add_ons,
        unit_fee_cents=0,
        fee_cents=0,
        fee_source="",
        authorization_id=None,
        auth_number="",
    )
    plan = plan_override(change, replace(ctx, current=blank))
    extra: list[Problem] = []
    if plan.change.units == 0:
        extra.append(Problem(OverrideCode.UNITS_INVALID, "An added line bills at least 1 unit.", "units"))
    if line_count >= MAX_LINES:
        extra.append(
            Problem(OverrideCode.UNITS_INVALID, f"A claim holds at most {MAX_LINES} lines.", "__all__")
        )
    if extra:
        return replace(plan, problems=(*plan.problems, *extra), line=blank)
    return plan
