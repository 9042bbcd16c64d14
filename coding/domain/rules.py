"""From session facts to charge lines: the coding rules, each decision with a plain "why".

Entry points:

* `code_session(facts, rules)`: one note's session.
* `code_day(sessions, rules)`: every session of one patient on one date, coded together (the
  CMS 8-minute rule counts the day's timed minutes, crisis time adds up over the date, and
  same-day pairs get 59/X and 25).
* `add_on_problems(codes)`: add-on pairing over any list of codes on a date (for the scrubber
  and for lines a biller edited).

Sources: DOMAIN-coding-facts.md sections 1-4 (thresholds in `coding.domain.units`, the service
to code mapping and pairing lists in `coding/data/service_codes.json`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from coding.domain.code_sets import CodeCatalog, shipped_catalog
from coding.domain.codes import CodingProblemCode as C
from coding.domain.crosswalk import crosswalk_for
from coding.domain.families import CodingData, Family, coding_data
from coding.domain.modifiers import (
    add_distinct_modifiers,
    add_modifier_25,
    add_practitioner_modifiers,
    add_telehealth_modifiers,
    assign_place_of_service,
)
from coding.domain.pointers import plan_diagnosis_pointers
from coding.domain.run import MAX_MODIFIERS_PER_LINE, Draft, Run
from coding.domain.scope_of_practice import ScopeSource, scope_decision
from coding.domain.service_coders import (
    FAMILY_CODERS,
    add_interactive_complexity,
    code_crisis,
    credential_note,
    has_time,
)
from coding.domain.types import (
    ChargeLine,
    CodeKind,
    CodingResult,
    PayerCodingRules,
    SessionFacts,
    UnitRule,
)
from coding.domain.units import (
    allocate_units,
    midpoint_units,
)
from core.domain.problems import Problem
from core.domain.service_types import SERVICE_TYPE_LABELS
from core.formatting import date_label


def code_session(
    facts: SessionFacts, rules: PayerCodingRules | None = None, *, catalog: CodeCatalog | None = None
) -> CodingResult:
    """Charge lines for one session (see `code_day`)."""
    return code_day((facts,), rules, catalog=catalog)


def code_day(
    sessions: Sequence[SessionFacts],
    rules: PayerCodingRules | None = None,
    *,
    catalog: CodeCatalog | None = None,
) -> CodingResult:
    """Charge lines for the sessions of one patient on one date under one payer's rules.

    `rules` None applies the CPT rules alone. `catalog` is the code set to check dates against
    (the shipped CSV by default; the service passes the database's).
    """
    rules = rules or PayerCodingRules()
    if not sessions:
        return CodingResult(
            lines=(),
            problems=(Problem(code=C.NO_SESSIONS, message="No session to code."),),
            why=(),
        )
    run = Run(
        sessions=sessions,
        rules=rules,
        catalog=catalog or shipped_catalog(),
        data=coding_data(),
        day=sessions[0].date_of_service,
    )
    if not _input_ok(run):
        return CodingResult(lines=(), problems=tuple(run.problems), why=tuple(run.why))
    run.why.append(f"Rules applied: {rules.label}.")

    drafts: list[Draft] = []
    crisis: list[int] = []
    for index, facts in enumerate(sessions):
        coding = run.data.service(facts.service_type)
        credential_note(run, index, facts)
        if coding.family is Family.CRISIS:
            crisis.append(index)
            continue
        if not has_time(run, index, facts):
            continue
        session_drafts = FAMILY_CODERS[coding.family](run, index, facts, coding)
        add_interactive_complexity(run, facts, session_drafts)
        _crosswalk(run, index, facts, session_drafts)
        _brief_assessment(run, index, facts, session_drafts)
        drafts.extend(session_drafts)
    if crisis:
        crisis_drafts = code_crisis(run, crisis)
        factors = tuple(f for i in crisis for f in run.sessions[i].interactive_complexity)
        add_interactive_complexity(
            run, replace(run.sessions[crisis[0]], interactive_complexity=factors), crisis_drafts
        )
        drafts.extend(crisis_drafts)

    _substitute_codes(run, drafts)
    _check_scope(run, drafts)
    _count_units(run, drafts)
    drafts = _drop_unbilled(run, drafts)
    _once_per_date(run, drafts)
    _cap_daily_units(run, drafts)
    assign_place_of_service(run, drafts)
    add_modifier_25(run, drafts)
    add_distinct_modifiers(run, drafts)
    add_practitioner_modifiers(run, drafts)
    add_telehealth_modifiers(run, drafts)
    run.problems.extend(add_on_problems([d.code for d in drafts], data=run.data))
    _check_code_dates(run, drafts)

    lines = [
        ChargeLine(
            code=d.code,
            units=d.units or 0,
            modifiers=tuple(d.modifiers),
            pos=d.pos,
            minutes=d.minutes,
            add_on=d.add_on,
            session_ref=sessions[d.session].session_ref,
        )
        for d in drafts
    ]
    diagnoses: tuple[str, ...] = ()
    if any(s.diagnoses for s in sessions):
        plan = plan_diagnosis_pointers([s.diagnoses for s in sessions])
        lines = [
            replace(line, diagnosis_pointers=plan.pointers[d.session])
            for line, d in zip(lines, drafts, strict=True)
        ]
        diagnoses = plan.claim_diagnoses
        run.problems.extend(plan.problems)
        run.why.extend(plan.why)
    return CodingResult(
        lines=tuple(lines),
        problems=tuple(run.problems),
        why=tuple(dict.fromkeys(run.why)),
        diagnoses=diagnoses,
    )


# ---- input -----------------------------------------------------------------------------------------


def _input_ok(run: Run) -> bool:
    days = sorted({s.date_of_service for s in run.sessions})
    if len(days) > 1:
        run.problem(
            C.MIXED_DATES,
            f"Sessions on different dates ({', '.join(map(str, days))}) are coded one date at a time.",
            field="date_of_service",
        )
    for index, facts in enumerate(run.sessions):
        if any(m < 0 for m in facts.segment_minutes) or (facts.crisis_minutes or 0) < 0:
            run.problem(
                C.INVALID_MINUTES,
                "Minutes cannot be negative.",
                field=f"sessions[{index}].segment_minutes",
            )
        elif facts.crisis_minutes is not None and facts.crisis_minutes > facts.minutes:
            run.problem(
                C.INVALID_MINUTES,
                f"Crisis minutes ({facts.crisis_minutes}) exceed the session's minutes ({facts.minutes}).",
                field=f"sessions[{index}].crisis_minutes",
            )
    return not run.problems


# ---- codes, units and limits -----------------------------------------------------------------------


def _crosswalk(run: Run, index: int, facts: SessionFacts, drafts: list[Draft]) -> None:
    """The payer's own code for this service type (e.g. case management as T1017)."""
    entry = crosswalk_for(run.rules, facts.service_type, facts.rendering_credential)
    if entry is None:
        return
    for draft in drafts:
        if draft.add_on or draft.code == entry.code:
            continue
        who = f" rendered by {facts.rendering_credential}" if entry.credentials else ""
        run.why.append(
            f"{run.rules.label}: {SERVICE_TYPE_LABELS[facts.service_type]}{who} is billed as "
            f"{entry.code} (instead of {draft.code})."
        )
        draft.code = entry.code


def _brief_assessment(run: Run, index: int, facts: SessionFacts, drafts: list[Draft]) -> None:
    """96127 once per standardized instrument scored in the note, alongside the session's line."""
    scored = [i for i in dict.fromkeys(facts.instruments) if i in run.data.brief_assessment_instruments]
    if not scored:
        return
    code = run.data.brief_assessment_code
    if not drafts:
        run.why.append(f"Instruments were scored but no session line was coded: {code} is not billed alone.")
        return
    run.why.append(
        f"{len(scored)} standardized instrument(s) scored ({', '.join(scored)}): {code} x{len(scored)}, "
        "one unit per instrument."
    )
    drafts.append(Draft(code=code, session=index, units=len(scored)))


def _check_scope(run: Run, drafts: list[Draft]) -> None:
    """Who may render each code: the scope-of-practice table as the payer narrows or widens it."""
    seen: set[tuple[int, str]] = set()
    for draft in drafts:
        facts = run.sessions[draft.session]
        if (draft.session, draft.code) in seen or not facts.rendering_credential:
            continue
        seen.add((draft.session, draft.code))
        decision = scope_decision(
            credential=facts.rendering_credential,
            code=draft.code,
            payer=run.rules.scope,
            payer_label=run.rules.label,
        )
        if decision.allowed:
            if decision.source is ScopeSource.PAYER_WIDENS:
                run.why.append(decision.why)
            continue
        run.problem(
            C.CREDENTIAL_CANNOT_RENDER,
            decision.message,
            field=f"sessions[{draft.session}].rendering_credential",
            fix_hint=decision.fix_hint,
        )


def _substitute_codes(run: Run, drafts: list[Draft]) -> None:
    for draft in drafts:
        credential = run.sessions[draft.session].rendering_credential
        for sub in run.rules.code_substitutions:
            if draft.code == sub.from_code and credential in sub.credentials:
                run.why.append(
                    f"{run.rules.label}: {sub.from_code} rendered by {credential} is billed as {sub.to_code}."
                )
                draft.code = sub.to_code
                break


def _count_units(run: Run, drafts: list[Draft]) -> None:
    """Units for codes billed in units of time, by the payer's unit rule."""
    timed: list[tuple[int, int, int]] = []  # (draft index, minutes, unit minutes)
    for i, draft in enumerate(drafts):
        if draft.units is not None:
            continue
        info = run.catalog.lookup(draft.code, on=run.day)
        unit_minutes = info.unit_minutes if info is not None else None
        if unit_minutes is None:
            draft.units = 1
            run.why.append(f"{draft.code} is not billed by time: 1 unit.")
            continue
        timed.append((i, draft.minutes, unit_minutes))
        draft.timed = unit_minutes == 15
    if not timed:
        return
    if run.rules.unit_rule is UnitRule.CMS_8_MINUTE:
        fifteen = [(i, m) for i, m, u in timed if u == 15]
        total = sum(m for _, m in fifteen)
        units = allocate_units(midpoint_units(total), fifteen)
        run.why.append(
            f"CMS 8-minute rule: {total} timed minutes on the date make {midpoint_units(total)} unit(s), "
            "given to the codes with the most minutes first."
        )
        for i, _m in fifteen:
            drafts[i].units = units[i]
        others = [(i, m, u) for i, m, u in timed if u != 15]
    else:
        by_code: dict[str, list[tuple[int, int]]] = {}
        for i, m, u in timed:
            if u == 15:
                by_code.setdefault(drafts[i].code, []).append((i, m))
        for code, items in by_code.items():
            total = sum(m for _, m in items)
            units = allocate_units(midpoint_units(total), items)
            run.why.append(
                f"CPT midpoint rule: {total} minutes of {code} make {midpoint_units(total)} unit(s) "
                "(a unit counts from 8 minutes; 8-22 = 1, 23-37 = 2)."
            )
            for i, _m in items:
                drafts[i].units = units[i]
        others = [(i, m, u) for i, m, u in timed if u != 15]
    for i, m, u in others:
        drafts[i].units = midpoint_units(m, u)
        run.why.append(
            f"{drafts[i].code} is billed per {u} minutes: {m} minutes make {drafts[i].units} unit(s)."
        )


def _drop_unbilled(run: Run, drafts: list[Draft]) -> list[Draft]:
    """Lines that earned no unit are dropped: under CMS their minutes may have gone to another code."""
    cms = run.rules.unit_rule is UnitRule.CMS_8_MINUTE
    day_units = sum(d.units or 0 for d in drafts if d.timed)
    for draft in drafts:
        if draft.units:
            continue
        if cms and draft.timed and day_units:
            run.why.append(
                f"{draft.code}: its {draft.minutes} minutes counted toward the day's total but earned "
                "no unit of its own under the CMS rule."
            )
        else:
            _below_minimum(run, draft)
    return [d for d in drafts if d.units]


def _below_minimum(run: Run, draft: Draft) -> None:
    run.problem(
        C.TIME_BELOW_MINIMUM,
        f"{draft.minutes} minutes of {draft.code} is under the 8 minutes one unit needs; nothing is billable for it.",
        field=f"sessions[{draft.session}].segment_minutes",
    )


def _once_per_date(run: Run, drafts: list[Draft]) -> None:
    for code in sorted(run.data.once_per_date):
        count = sum(1 for d in drafts if d.code == code)
        if count > 1:
            run.problem(
                C.ONCE_PER_DATE,
                f"{code} is reported at most once per date; {count} lines were coded.",
                field="lines",
                fix_hint="Keep one line and document the sessions in it.",
            )


def _cap_daily_units(run: Run, drafts: list[Draft]) -> None:
    for code, maximum in sorted(run.rules.max_units_per_day.items()):
        lines = [d for d in drafts if d.code == code]
        total = sum(d.units or 0 for d in lines)
        if total <= maximum:
            continue
        excess = total - maximum
        for draft in reversed(lines):
            cut = min(excess, draft.units or 0)
            draft.units = (draft.units or 0) - cut
            excess -= cut
        run.problem(
            C.UNITS_OVER_DAILY_MAX,
            f"{run.rules.label} pays at most {maximum} unit(s) of {code} a day; {total} were documented, "
            f"{maximum} are billed.",
            field="lines",
            warning=True,
        )
    drafts[:] = [d for d in drafts if d.units]


# ---- checks over the finished lines ----------------------------------------------------------------


def add_on_problems(codes: Sequence[str], *, data: CodingData | None = None) -> list[Problem]:
    """Add-on pairing over the codes billed on one date (any order; duplicates allowed).

    An add-on needs one of its primaries on the date and none of the codes it never goes with
    (90785 only with 90791/90792/90832-90838/90853; 90833/90836/90838 only with an E/M and never
    with the stand-alone psychotherapy codes; 90840 only after 90839; 90863 only with 90832/
    90834/90837).
    """
    data = data or coding_data()
    present = set(codes)
    problems: list[Problem] = []
    for code in dict.fromkeys(codes):
        rule = data.add_ons.get(code)
        if rule is None:
            continue
        primaries = data.add_on_primaries(code)
        if not present & primaries:
            needs = "an E/M code (99202-99215)" if rule.primaries == {"@em"} else ", ".join(sorted(primaries))
            problems.append(
                Problem(
                    code=C.ADD_ON_WITHOUT_PRIMARY,
                    message=f"+{code} is an add-on: it needs {needs} on the same date.",
                    field="lines",
                    fix_hint="Add the primary service's line, or bill the stand-alone code instead.",
                )
            )
        clash = sorted(present & rule.never_with)
        if clash:
            problems.append(
                Problem(
                    code=C.ADD_ON_NOT_ALLOWED,
                    message=f"+{code} cannot be reported with {', '.join(clash)}.",
                    field="lines",
                    fix_hint=f"Remove +{code}.",
                )
            )
    return problems


def _check_code_dates(run: Run, drafts: list[Draft]) -> None:
    seen: set[tuple[str, CodeKind | None]] = set()
    for draft in drafts:
        checks: list[tuple[str, CodeKind | None]] = [(draft.code, None)]
        checks += [(m, CodeKind.MODIFIER) for m in draft.modifiers]
        for code, kind in checks:
            if (code, kind) in seen:
                continue
            seen.add((code, kind))
            info = run.catalog.lookup(code, on=run.day, kind=kind)
            if info is not None and (kind is not None or info.kind in (CodeKind.CPT, CodeKind.HCPCS)):
                continue
            versions = [
                v
                for v in run.catalog.any_version(code, kind=kind)
                if kind is not None or v.kind in (CodeKind.CPT, CodeKind.HCPCS)
            ]
            if versions:
                spans = "; ".join(
                    f"{date_label(v.effective_from)} to {date_label(v.effective_to) or 'now'}"
                    for v in versions
                )
                message = f"{code} is not valid on {date_label(run.day)} (valid {spans})."
            else:
                message = f"{code} is not in the code set."
            run.problem(C.CODE_NOT_EFFECTIVE, message, field="lines")
        if len(draft.modifiers) > MAX_MODIFIERS_PER_LINE:
            run.problem(
                C.TOO_MANY_MODIFIERS,
                f"{draft.code} has {len(draft.modifiers)} modifiers; a claim line holds {MAX_MODIFIERS_PER_LINE}.",
                field="lines",
            )
