"""Scrubber checks on modifiers and the place of service."""

from __future__ import annotations

from claims.domain.scrubber.common import (
    LEVEL_MODIFIERS,
    TELEHEALTH_MODIFIERS,
    TELEHEALTH_POS,
    ScrubCode,
    billed_lines,
    error,
    line_label,
    rules_label,
)
from claims.domain.types import ClaimToBe
from coding.domain.types import TelehealthPos
from core.domain.problems import Problem
from core.formatting import date_label

# ---- modifiers and place of service ------------------------------------------------------------


def check_modifiers(claim: ClaimToBe) -> list[Problem]:
    """Modifiers the payer asks for: the practitioner level (HM/HN/HO/HP of who performed the
    service) and the telehealth modifier; none of them where they don't belong."""
    problems: list[Problem] = []
    coding = claim.policy.coding
    telehealth = claim.note.telehealth
    insured = claim.coverage is not None
    wanted_tele = ""
    if telehealth == "audio_video":
        wanted_tele = coding.video_modifier
    elif telehealth == "audio_only":
        wanted_tele = coding.audio_only_modifier
    level = claim.rendering.level_modifier if claim.rendering is not None else ""
    for index, line in billed_lines(claim):
        field = f"lines[{index}].modifiers"
        if line.unknown_modifiers:
            problems.append(
                error(
                    ScrubCode.MODIFIER_UNKNOWN,
                    f"{line_label(line)}: modifier {', '.join(line.unknown_modifiers)} is not in the code set on "
                    f"{date_label(claim.date_of_service)}.",
                    field,
                    "Remove or correct the modifier.",
                )
            )
        if insured and coding.practitioner_modifiers:
            if not level:
                problems.append(
                    error(
                        ScrubCode.MODIFIER_MISSING,
                        f"{rules_label(claim)} wants a practitioner-level modifier (HM/HN/HO/HP), but the rendering "
                        "provider's degree is not known.",
                        field,
                        "Record the rendering provider's credential.",
                    )
                )
            elif level not in line.modifiers:
                problems.append(
                    error(
                        ScrubCode.MODIFIER_MISSING,
                        f"{rules_label(claim)} wants the practitioner-level modifier {level} on {line_label(line)}.",
                        field,
                        f"Add {level}.",
                    )
                )
            wrong = sorted((set(line.modifiers) & LEVEL_MODIFIERS) - {level})
            if level and wrong:
                problems.append(
                    error(
                        ScrubCode.MODIFIER_NOT_EXPECTED,
                        f"{line_label(line)} carries {', '.join(wrong)}, but the rendering provider's level is {level}.",
                        field,
                        f"Remove {', '.join(wrong)}.",
                    )
                )
        if telehealth and insured and wanted_tele and wanted_tele not in line.modifiers:
            kind = "audio-only" if telehealth == "audio_only" else "audio and video"
            problems.append(
                error(
                    ScrubCode.MODIFIER_MISSING,
                    f"{rules_label(claim)} wants modifier {wanted_tele} on telehealth ({kind}) lines; {line_label(line)} "
                    "does not carry it.",
                    field,
                    f"Add {wanted_tele}.",
                )
            )
        if not telehealth:
            tele = sorted(set(line.modifiers) & TELEHEALTH_MODIFIERS)
            if tele:
                problems.append(
                    error(
                        ScrubCode.MODIFIER_NOT_EXPECTED,
                        f"{line_label(line)} carries telehealth modifier {', '.join(tele)}, but the session was in "
                        "person.",
                        field,
                        f"Remove {', '.join(tele)}.",
                    )
                )
    return problems


def check_place_of_service(claim: ClaimToBe) -> list[Problem]:
    problems: list[Problem] = []
    telehealth = bool(claim.note.telehealth)
    rule = claim.policy.coding.telehealth_pos if claim.coverage is not None else TelehealthPos.TELEHEALTH_POS
    for index, line in billed_lines(claim):
        field = f"lines[{index}].pos"
        if not line.pos_known:
            problems.append(
                error(
                    ScrubCode.POS_UNKNOWN,
                    f"Place of service {line.pos!r} is not in the POS code set.",
                    field,
                    "Use a CMS place-of-service code (11 office, 12 home, 02/10 telehealth...).",
                )
            )
            continue
        if not telehealth:
            if line.pos in TELEHEALTH_POS:
                problems.append(
                    error(
                        ScrubCode.POS_TELEHEALTH_MISMATCH,
                        f"{line_label(line)} has telehealth POS {line.pos}, but the session was in person.",
                        field,
                        "Use the place where the session happened (e.g. 11 office).",
                    )
                )
            continue
        if rule is TelehealthPos.IN_PERSON_POS:
            if line.pos in TELEHEALTH_POS:
                problems.append(
                    error(
                        ScrubCode.POS_TELEHEALTH_MISMATCH,
                        f"{rules_label(claim)} wants the in-person place of service on telehealth lines, not "
                        f"{line.pos}.",
                        field,
                        "Use the POS the session would have had in person (e.g. 11).",
                    )
                )
            continue
        expected = "02" if rule is TelehealthPos.ALWAYS_02 else ("10" if claim.note.patient_at_home else "02")
        if line.pos not in TELEHEALTH_POS or (rule is TelehealthPos.ALWAYS_02 and line.pos != "02"):
            problems.append(
                error(
                    ScrubCode.POS_TELEHEALTH_MISMATCH,
                    f"{line_label(line)} was a telehealth session: its place of service is {expected}, not {line.pos}.",
                    field,
                    f"Set the place of service to {expected}.",
                )
            )
    return problems
