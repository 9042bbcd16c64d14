"""Place of service and modifiers: telehealth POS/modifiers, 25, 59/X, practitioner level."""

from __future__ import annotations

from coding.domain.codes import CodingProblemCode as C
from coding.domain.run import TELEHEALTH_POS_CODES, Draft, Run
from coding.domain.types import CodeKind, SessionFacts, Telehealth, TelehealthPos
from core.formatting import date_label


def assign_place_of_service(run: Run, drafts: list[Draft]) -> None:
    for index, facts in enumerate(run.sessions):
        mine = [d for d in drafts if d.session == index]
        pos = facts.place_of_service
        if facts.telehealth is Telehealth.NONE:
            if pos in TELEHEALTH_POS_CODES:
                run.problem(
                    C.POS_TELEHEALTH_MISMATCH,
                    f"POS {pos} is a telehealth place of service, but the session was in person.",
                    field=f"sessions[{index}].place_of_service",
                    warning=True,
                )
        else:
            if facts.telehealth is Telehealth.AUDIO_ONLY and not run.rules.audio_only_allowed:
                run.problem(
                    C.TELEHEALTH_NOT_COVERED,
                    f"{run.rules.label} does not pay audio-only sessions.",
                    field=f"sessions[{index}].telehealth",
                )
            pos = _telehealth_pos(run, facts)
        if run.catalog.lookup(pos, on=run.day, kind=CodeKind.POS) is None:
            run.problem(
                C.POS_UNKNOWN,
                f"Place of service {pos!r} is not in the code set on {date_label(run.day)}.",
                field=f"sessions[{index}].place_of_service",
            )
        for draft in mine:
            draft.pos = pos


def _telehealth_pos(run: Run, facts: SessionFacts) -> str:
    policy = run.rules.telehealth_pos
    if policy is TelehealthPos.IN_PERSON_POS:
        pos = facts.place_of_service if facts.place_of_service not in TELEHEALTH_POS_CODES else "11"
        run.why.append(f"Telehealth: {run.rules.label} keeps the in-person place of service (POS {pos}).")
        return pos
    if policy is TelehealthPos.ALWAYS_02:
        run.why.append(f"Telehealth: {run.rules.label} takes POS 02 for every telehealth session.")
        return "02"
    at_home = facts.patient_at_home
    if facts.place_of_service in TELEHEALTH_POS_CODES:
        at_home = facts.place_of_service == "10"
    pos = "10" if at_home else "02"
    where = "at home" if at_home else "away from home"
    if pos == "10" and run.catalog.lookup("10", on=run.day, kind=CodeKind.POS) is None:
        run.why.append(
            f"Telehealth with the patient at home: POS 02 (POS 10 did not exist on {date_label(run.day)})."
        )
        return "02"
    run.why.append(f"Telehealth with the patient {where}: POS {pos}.")
    return pos


def add_modifier_25(run: Run, drafts: list[Draft]) -> None:
    em = [d for d in drafts if d.code in run.data.em_codes]
    if not em:
        return
    others = [d.code for d in drafts if d.code not in run.data.em_codes and not d.add_on]
    if not others:
        if any(d.add_on for d in drafts):
            run.why.append("An E/M with a psychotherapy add-on needs no modifier 25.")
        return
    for draft in em:
        _add_modifier(draft, "25")
    run.why.append(
        f"Modifier 25 on the E/M: a separately identifiable E/M on the same date as {', '.join(others)}."
    )


def add_distinct_modifiers(run: Run, drafts: list[Draft]) -> None:
    modifier = run.rules.distinct_modifier
    for pair in run.data.distinct_pairs:
        targets = [d for d in drafts if d.code in pair.modifier_on]
        partners = [d for d in drafts if d.code in pair.with_codes]
        if not targets or not partners:
            continue
        for draft in targets:
            if any(p.session != draft.session for p in partners):
                _add_modifier(draft, modifier)
        names = ", ".join(sorted({d.code for d in partners}))
        run.why.append(
            f"{', '.join(sorted({d.code for d in targets}))} and {names} on the same date would bundle: "
            f"modifier {modifier} marks the family session as separate and distinct."
        )
        run.problem(
            C.DISTINCT_SERVICE_DOCUMENTATION,
            "Same-day family and individual psychotherapy are paid only when the notes show separate, "
            "distinct sessions.",
            field="lines",
            warning=True,
        )


def add_practitioner_modifiers(run: Run, drafts: list[Draft]) -> None:
    if not run.rules.practitioner_modifiers:
        return
    for index, facts in enumerate(run.sessions):
        mine = [d for d in drafts if d.session == index]
        if not mine:
            continue
        degree = facts.rendering_degree or run.data.degree_for(facts.rendering_credential)
        if degree is None:
            run.problem(
                C.PRACTITIONER_LEVEL_UNKNOWN,
                f"{run.rules.label} wants a practitioner-level modifier (HM/HN/HO/HP), but the rendering "
                "provider's degree is not known.",
                field=f"sessions[{index}].rendering_credential",
                fix_hint="Record the rendering provider's credential or degree.",
            )
            continue
        modifier = run.data.degree_modifier[degree]
        for draft in mine:
            _add_modifier(draft, modifier)
        who = facts.rendering_credential or "the rendering provider"
        run.why.append(
            f"{run.rules.label} asks for the practitioner level: {who} ({degree.value.replace('_', ' ')}) -> {modifier}."
        )


def add_telehealth_modifiers(run: Run, drafts: list[Draft]) -> None:
    for index, facts in enumerate(run.sessions):
        if facts.telehealth is Telehealth.NONE:
            continue
        audio_only = facts.telehealth is Telehealth.AUDIO_ONLY
        modifier = run.rules.audio_only_modifier if audio_only else run.rules.video_modifier
        kind = "audio-only" if audio_only else "audio and video"
        if not modifier:
            run.why.append(f"Telehealth ({kind}): {run.rules.label} wants no telehealth modifier.")
            continue
        for draft in drafts:
            if draft.session == index:
                _add_modifier(draft, modifier)
        run.why.append(f"Telehealth ({kind}): modifier {modifier}.")


def _add_modifier(draft: Draft, modifier: str) -> None:
    if modifier and modifier not in draft.modifiers:
        draft.modifiers.append(modifier)
