"""Telehealth modifiers and the place of service against the note (issue 8, items 6 and 7).

Each is its own finding (sources: ../shared/DOMAIN-coding-facts.md section 4b/4c):
* GT on a Medicare professional claim: Medicare takes GT only on critical-access-hospital
  method II institutional claims [S51][S54].
* 93 (audio-only) on an audio-and-video session, and 95 on an audio-only session unless the
  payer's audio-only modifier is 95 [S52][S53].
* 95 and 93 together on one line: a session is one or the other.
* 59 together with an X modifier (XE/XS/XP/XU) on one line: the X modifiers replace 59, never
  both [S56][S57][S58].
* POS 02 when the patient was at home: POS 10 since 2022-01-01 [S64][S66].
* A line's place of service that differs from the note's (a warning).
* A telehealth session billed to a payer whose telehealth POS and modifiers nobody configured:
  a warning, not a silent default (pitfall C12: payers differ — 95 or GT, POS 02/10 or the
  in-person POS — and change over time).
"""

from __future__ import annotations

from datetime import date

from claims.domain.scrubber.common import (
    TELEHEALTH_POS,
    ScrubCode,
    billed_lines,
    error,
    line_label,
    rules_label,
    warning,
)
from claims.domain.types import ClaimToBe, LineFacts
from coding.domain.types import TelehealthPos
from core.domain.problems import Problem

POS_10_FROM = date(2022, 1, 1)  # POS 10 "telehealth in the patient's home" exists from this date
X_MODIFIERS = frozenset({"XE", "XS", "XP", "XU"})


def _telehealth_rule(claim: ClaimToBe) -> TelehealthPos:
    return claim.policy.coding.telehealth_pos if claim.coverage is not None else TelehealthPos.TELEHEALTH_POS


def check_telehealth_modifiers(claim: ClaimToBe) -> list[Problem]:
    problems: list[Problem] = []
    kind = claim.note.telehealth
    medicare = claim.coverage is not None and claim.coverage.is_medicare
    audio_only_modifier = claim.policy.coding.audio_only_modifier
    for index, line in billed_lines(claim):
        field = f"lines[{index}].modifiers"
        modifiers = set(line.modifiers)
        if medicare and "GT" in modifiers:
            problems.append(
                error(
                    ScrubCode.MODIFIER_GT_MEDICARE,
                    f"{line_label(line)}: Medicare takes GT only on critical-access-hospital institutional "
                    "claims, not on a professional claim.",
                    field,
                    "Remove GT: Medicare shows telehealth by the place of service (02/10), with 93 for "
                    "audio-only sessions.",
                )
            )
        if {"95", "93"} <= modifiers:
            problems.append(
                error(
                    ScrubCode.MODIFIER_CONFLICT,
                    f"{line_label(line)} carries both 95 (audio and video) and 93 (audio only); a session is "
                    "one or the other.",
                    field,
                    "Keep the modifier for how the session was held (the note's telehealth field).",
                )
            )
        elif kind == "audio_video" and "93" in modifiers:
            problems.append(
                error(
                    ScrubCode.MODIFIER_TELEHEALTH_KIND,
                    f"{line_label(line)} carries 93 (audio only), but the session was held with audio and video.",
                    field,
                    "Remove 93 (use the payer's audio-and-video modifier, if it wants one).",
                )
            )
        elif kind == "audio_only" and "95" in modifiers and audio_only_modifier != "95":
            problems.append(
                error(
                    ScrubCode.MODIFIER_TELEHEALTH_KIND,
                    f"{line_label(line)} carries 95 (audio and video), but the session was audio only.",
                    field,
                    f"Use {audio_only_modifier or 'no modifier'} for an audio-only session under "
                    f"{rules_label(claim)}.",
                )
            )
        both = sorted(modifiers & X_MODIFIERS)
        if "59" in modifiers and both:
            problems.append(
                error(
                    ScrubCode.MODIFIER_CONFLICT,
                    f"{line_label(line)} carries 59 and {', '.join(both)}; the X modifiers replace 59 and never "
                    "go with it on one line.",
                    field,
                    f"Keep {both[0]} (the more specific one) or 59, not both.",
                )
            )
    return problems


def _home_pos_error(claim: ClaimToBe, line: LineFacts) -> bool:
    return (
        bool(claim.note.telehealth)
        and _telehealth_rule(claim) is TelehealthPos.TELEHEALTH_POS
        and claim.note.patient_at_home
        and line.pos == "02"
        and claim.date_of_service >= POS_10_FROM
    )


def check_telehealth_home(claim: ClaimToBe) -> list[Problem]:
    return [
        error(
            ScrubCode.POS_TELEHEALTH_HOME,
            f"{line_label(line)}: the patient was at home for this telehealth session, so the place of service "
            "is 10 (telehealth in the patient's home), not 02.",
            f"lines[{index}].pos",
            "Set the place of service to 10.",
        )
        for index, line in billed_lines(claim)
        if line.pos_known and _home_pos_error(claim, line)
    ]


def _expected_from_note(claim: ClaimToBe, line: LineFacts) -> str | None:
    """The place of service the note gives this line, when no POS error is reported for it."""
    pos = claim.note.place_of_service
    if not pos or not line.pos_known:
        return None
    if not claim.note.telehealth:
        return pos if line.pos not in TELEHEALTH_POS else None  # telehealth POS in person: an error
    rule = _telehealth_rule(claim)
    if rule is TelehealthPos.IN_PERSON_POS:
        return pos if pos not in TELEHEALTH_POS and line.pos not in TELEHEALTH_POS else None
    if rule is TelehealthPos.TELEHEALTH_POS and pos in TELEHEALTH_POS and line.pos in TELEHEALTH_POS:
        return None if _home_pos_error(claim, line) else pos
    return None


def check_pos_matches_note(claim: ClaimToBe) -> list[Problem]:
    problems: list[Problem] = []
    for index, line in billed_lines(claim):
        expected = _expected_from_note(claim, line)
        if expected is None or line.pos == expected:
            continue
        problems.append(
            warning(
                ScrubCode.POS_DIFFERS_FROM_NOTE,
                f"{line_label(line)} has place of service {line.pos}, but the note records {expected}.",
                f"lines[{index}].pos",
                f"Set the line's place of service to {expected}, or correct the note's place of service "
                "by addendum if the line is right.",
            )
        )
    return problems


def check_telehealth_rules_configured(claim: ClaimToBe) -> list[Problem]:
    if claim.coverage is None or not claim.note.telehealth or claim.policy.coding.telehealth_configured:
        return []
    if not billed_lines(claim):
        return []
    coding = claim.policy.coding
    shown = ", ".join(m for m in (coding.video_modifier, coding.audio_only_modifier) if m) or "no modifier"
    return [
        warning(
            ScrubCode.TELEHEALTH_RULES_MISSING,
            f"No telehealth rules are set for {rules_label(claim)}: this claim uses the common default "
            f"(POS 02, or 10 at home; {shown}). Payers differ and change their telehealth rules.",
            "lines",
            "Check the payer's telehealth policy and set its place of service and modifiers in its payer "
            "rules (Coding: telehealth POS, video and audio-only modifiers).",
        )
    ]
