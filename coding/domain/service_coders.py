"""Coding each service family: time bands, crisis, family, untimed and timed-unit services.

Each coder takes one session (crisis: all of the date's crisis sessions) and returns draft
lines, recording problems and reasons on the run. Thresholds: `coding.domain.units`; the
service -> family mapping: `coding/data/service_codes.json`.
"""

from __future__ import annotations

from coding.domain.codes import CodingProblemCode as C
from coding.domain.families import Family, ServiceCoding
from coding.domain.run import Draft, Run
from coding.domain.types import SessionFacts
from coding.domain.units import (
    CRISIS_ADD_ON_FROM,
    CRISIS_MIN_MINUTES,
    FAMILY_MIN_MINUTES,
    PSYCHOTHERAPY_MIN_MINUTES,
    crisis_add_on_units,
    psychotherapy_band,
)
from core.domain.service_types import SERVICE_TYPE_LABELS


def has_time(run: Run, index: int, facts: SessionFacts) -> bool:
    if facts.minutes > 0:
        return True
    run.problem(
        C.NO_TIME_DOCUMENTED,
        f"{SERVICE_TYPE_LABELS[facts.service_type]}: no face-to-face time is documented, so nothing is billed.",
        field=f"sessions[{index}].segment_minutes",
        fix_hint="Record the session's start and end times.",
    )
    return False


def credential_note(run: Run, index: int, facts: SessionFacts) -> None:
    if not facts.rendering_credential:
        run.why.append("No rendering credential given: the checks of who may bill a code were skipped.")


# ---- families --------------------------------------------------------------------------------------


def _em_line(run: Run, index: int, facts: SessionFacts) -> list[Draft]:
    """The E/M line a psychotherapy add-on goes with, when the note names the E/M code."""
    if not facts.em_code:
        return []
    code = facts.em_code.strip().upper()
    if code not in run.data.em_codes:
        run.problem(
            C.EM_CODE_UNKNOWN,
            f"{code} is not an office E/M code ({', '.join(sorted(run.data.em_codes))}).",
            field=f"sessions[{index}].em_code",
        )
        return []
    run.why.append(f"E/M {code} is billed first, for the visit's evaluation and management.")
    return [Draft(code=code, session=index, units=1)]


def _code_diagnostic_evaluation(
    run: Run, index: int, facts: SessionFacts, coding: ServiceCoding
) -> list[Draft]:
    if facts.rendering_credential and run.data.is_prescriber(facts.rendering_credential):
        code = coding.prescriber_code
        run.why.append(
            f"Diagnostic evaluation by a prescriber ({facts.rendering_credential}): {code}, untimed, 1 unit."
        )
    else:
        code = coding.code
        run.why.append(
            f"Diagnostic evaluation without medical services: {code}, untimed, 1 unit "
            f"({coding.prescriber_code} is for prescribers)."
        )
    return [Draft(code=code, session=index, minutes=facts.minutes, units=1)]


def _code_psychotherapy(run: Run, index: int, facts: SessionFacts, coding: ServiceCoding) -> list[Draft]:
    with_em = facts.with_em or coding.with_em
    minutes = facts.minutes
    drafts = _em_line(run, index, facts) if with_em else []
    band = psychotherapy_band(minutes)
    if band is None:
        if drafts:
            run.why.append(
                f"{minutes} minutes of psychotherapy is under {PSYCHOTHERAPY_MIN_MINUTES}: "
                "only the E/M is reported."
            )
        run.problem(
            C.TIME_BELOW_MINIMUM,
            f"{minutes} minutes of psychotherapy is under the {PSYCHOTHERAPY_MIN_MINUTES} minutes a "
            "psychotherapy code needs; no psychotherapy code is billable.",
            field=f"sessions[{index}].segment_minutes",
            warning=bool(drafts),
        )
        return drafts
    code = band.with_em_code if with_em else band.code
    if with_em:
        run.why.append(
            f"{minutes} minutes of psychotherapy with an E/M falls in the {band.label()} minute band: "
            f"add-on {code} (counted apart from the E/M's time)."
        )
    else:
        run.why.append(f"{minutes} minutes of psychotherapy falls in the {band.label()} minute band: {code}.")
    drafts.append(Draft(code=code, session=index, minutes=minutes, units=1, add_on=with_em))
    return drafts


def _code_family(run: Run, index: int, facts: SessionFacts, coding: ServiceCoding) -> list[Draft]:
    present = coding.patient_present
    if facts.patient_present is not None:
        if present is not None and facts.patient_present != present:
            run.problem(
                C.PATIENT_PRESENCE_CONFLICT,
                f"The service is '{SERVICE_TYPE_LABELS[facts.service_type]}' but the note records the "
                f"patient as {'present' if facts.patient_present else 'absent'}; coded by the note.",
                field=f"sessions[{index}].patient_present",
                warning=True,
            )
        present = facts.patient_present
    code = "90847" if present else "90846"
    minutes = facts.minutes
    if minutes < FAMILY_MIN_MINUTES:
        run.problem(
            C.TIME_BELOW_MINIMUM,
            f"{minutes} minutes of family psychotherapy is under the {FAMILY_MIN_MINUTES} minutes "
            f"{code} needs; nothing is billable.",
            field=f"sessions[{index}].segment_minutes",
        )
        return []
    run.why.append(
        f"Family psychotherapy with the patient {'present' if present else 'absent'}, {minutes} minutes "
        f"(at least {FAMILY_MIN_MINUTES}): {code}."
    )
    return [Draft(code=code, session=index, minutes=minutes, units=1)]


def _code_untimed(run: Run, index: int, facts: SessionFacts, coding: ServiceCoding) -> list[Draft]:
    run.why.append(f"{SERVICE_TYPE_LABELS[facts.service_type]} is untimed: {coding.code}, 1 unit.")
    return [Draft(code=coding.code, session=index, minutes=facts.minutes, units=1)]


def _code_timed_units(run: Run, index: int, facts: SessionFacts, coding: ServiceCoding) -> list[Draft]:
    code = coding.code
    credential = facts.rendering_credential
    if coding.technician_code and credential and run.data.is_technician(credential):
        code = coding.technician_code
        run.why.append(f"{SERVICE_TYPE_LABELS[facts.service_type]} by a technician ({credential}): {code}.")
    run.why.append(f"{code} is billed in units of time: {facts.minutes} minutes documented.")
    return [Draft(code=code, session=index, minutes=facts.minutes)]


def code_crisis(run: Run, indexes: list[int]) -> list[Draft]:
    """Crisis time adds up over the date (it need not be continuous); 90839 at most once."""
    first = indexes[0]
    facts = run.sessions[first]
    minutes = sum(
        s.crisis_minutes if s.crisis_minutes is not None else s.minutes
        for s in (run.sessions[i] for i in indexes)
    )
    with_em = any(run.sessions[i].with_em for i in indexes)
    if len(indexes) > 1:
        run.why.append(f"Crisis time on the date adds up over {len(indexes)} sessions: {minutes} minutes.")
    if minutes <= 0:
        run.problem(
            C.NO_TIME_DOCUMENTED,
            "Crisis psychotherapy: no crisis time is documented, so nothing is billed.",
            field=f"sessions[{first}].crisis_minutes",
        )
        return []
    drafts = _em_line(run, first, facts) if with_em else []
    if minutes < CRISIS_MIN_MINUTES:
        band = psychotherapy_band(minutes)
        if band is None:
            run.problem(
                C.TIME_BELOW_MINIMUM,
                f"{minutes} minutes of crisis time is under the {PSYCHOTHERAPY_MIN_MINUTES} minutes any "
                "psychotherapy code needs; nothing is billable.",
                field=f"sessions[{first}].crisis_minutes",
                warning=bool(drafts),
            )
            return drafts
        code = band.with_em_code if drafts else band.code
        run.why.append(
            f"{minutes} minutes of crisis time is under {CRISIS_MIN_MINUTES}: it is reported as "
            f"psychotherapy, {code}."
        )
        drafts.append(Draft(code=code, session=first, minutes=minutes, units=1, add_on=bool(drafts)))
        return drafts
    if drafts:
        run.problem(
            C.EM_WITH_CRISIS_UNCONFIRMED,
            "An E/M on the same date as crisis psychotherapy is not confirmed by our sources; check the payer's policy.",
            field=f"sessions[{first}].with_em",
            warning=True,
        )
    run.why.append(f"{minutes} minutes of crisis psychotherapy (30 or more): 90839 once for the date.")
    drafts.append(Draft(code="90839", session=first, minutes=min(minutes, CRISIS_ADD_ON_FROM - 1), units=1))
    extra = crisis_add_on_units(minutes)
    if extra:
        run.why.append(
            f"Crisis time beyond 74 minutes: +90840 x{extra} (one at 75 minutes, one more for each "
            "further 30 minutes)."
        )
        drafts.append(
            Draft(
                code="90840",
                session=first,
                minutes=minutes - (CRISIS_ADD_ON_FROM - 1),
                units=extra,
                add_on=True,
            )
        )
    return drafts


FAMILY_CODERS = {
    Family.DIAGNOSTIC_EVALUATION: _code_diagnostic_evaluation,
    Family.PSYCHOTHERAPY: _code_psychotherapy,
    Family.FAMILY_PSYCHOTHERAPY: _code_family,
    Family.UNTIMED: _code_untimed,
    Family.TIMED_UNITS: _code_timed_units,
}


def add_interactive_complexity(run: Run, facts: SessionFacts, drafts: list[Draft]) -> None:
    if not facts.interactive_complexity or not drafts:
        return
    rule = run.data.add_ons["90785"]
    codes = [d.code for d in drafts]
    allowed = [c for c in codes if c in rule.primaries]
    banned = [c for c in codes if c in rule.never_with]
    if allowed and not banned:
        named = [f.value.replace("_", " ") for f in facts.interactive_complexity if f.value != "unspecified"]
        factors = f" ({', '.join(named)})" if named else ""
        run.why.append(f"Interactive complexity{factors} with {allowed[0]}: add-on +90785, 1 unit.")
        drafts.append(Draft(code="90785", session=drafts[0].session, units=1, add_on=True))
        return
    run.problem(
        C.INTERACTIVE_COMPLEXITY_NOT_ALLOWED,
        f"Interactive complexity (+90785) cannot be reported with {', '.join(banned or codes)}; it was not added.",
        field="interactive_complexity",
        warning=True,
    )
