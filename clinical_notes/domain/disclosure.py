"""Minimum necessary: how much of a signed note a reader sees, and the audited "open the full note".

HIPAA's minimum-necessary standard applies to billing and administration, not to treatment:

- clinical readers (the author, the care team, supervisors: whom `note_scope` lets read the note)
  see the full note;
- billing readers (biller, practice admin) see a **billing view** of a final note: service, date,
  times, participants, place of service, diagnoses addressed, the medical-necessity statement,
  signatures and attestations. The rest (mental status, risk, safety plan, interventions, scores,
  goals, addenda, history) opens only through "open the full note" with a stated purpose
  (appeal, records request, payer audit) and a short detail, for `FULL_NOTE_MINUTES`;
- a 42 CFR Part 2 patient's note is disclosed to billing readers only while a Part 2 consent
  (treatment, payment and operations) is active: without one they see nothing of it, and the
  full note cannot be opened.

This module is the one rule; the note page, the PDF and the API all apply it (`disclosed_content`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from core.domain.problems import Problem


class NoteDisclosure(StrEnum):
    FULL = "full"
    BILLING = "billing"
    WITHHELD = "withheld"


class FullNotePurpose(StrEnum):
    APPEAL = "appeal"
    RECORDS_REQUEST = "records_request"
    PAYER_AUDIT = "payer_audit"


PURPOSE_LABELS: dict[FullNotePurpose, str] = {
    FullNotePurpose.APPEAL: "Appeal of a denied claim",
    FullNotePurpose.RECORDS_REQUEST: "Records request",
    FullNotePurpose.PAYER_AUDIT: "Payer audit or review",
}

# How long an "open the full note" lasts.
FULL_NOTE_MINUTES = 30
PURPOSE_DETAIL_MAX = 200
PURPOSE_DETAIL_MIN = 5

# The parts of a note's content a billing view shows: who took part, and why the service was needed.
BILLING_CONTENT_KEYS = frozenset({"participants", "medical_necessity"})

# Which parts of the note each level shows (what the README's role table says).
SECTIONS_BY_LEVEL: dict[NoteDisclosure, frozenset[str]] = {
    NoteDisclosure.FULL: frozenset(
        {
            "service",
            "times",
            "participants",
            "place",
            "diagnoses",
            "medical_necessity",
            "signatures",
            "narrative",
            "interventions",
            "measurements",
            "goals",
            "findings",
            "addenda",
            "history",
        }
    ),
    NoteDisclosure.BILLING: frozenset(
        {"service", "times", "participants", "place", "diagnoses", "medical_necessity", "signatures"}
    ),
    NoteDisclosure.WITHHELD: frozenset(),
}


@dataclass(frozen=True, slots=True)
class DisclosureFacts:
    reads_clinical: (
        bool  # CLINICAL_VIEW: the note scope already limits it to the author, care team, supervisors
    )
    reads_billing: bool  # BILLING_VIEW: biller, practice admin
    part2_patient: bool  # the patient is in a 42 CFR Part 2 program
    part2_consent_active: bool  # a Part 2 TPO consent is active today
    full_note_open: bool  # this reader opened the full note, and it has not expired


@dataclass(frozen=True, slots=True)
class Disclosure:
    level: NoteDisclosure
    may_open_full: bool  # offer "open the full note"
    reason: str  # in plain words, for the screen

    def shows(self, section: str) -> bool:
        return section in SECTIONS_BY_LEVEL[self.level]


FULL = Disclosure(NoteDisclosure.FULL, may_open_full=False, reason="")


def note_disclosure(facts: DisclosureFacts) -> Disclosure:
    if facts.reads_clinical:
        return FULL
    if not facts.reads_billing:
        return Disclosure(
            NoteDisclosure.WITHHELD, may_open_full=False, reason="Your role does not read notes."
        )
    if facts.part2_patient and not facts.part2_consent_active:
        return Disclosure(
            NoteDisclosure.WITHHELD,
            may_open_full=False,
            reason="This patient's records are protected by 42 CFR Part 2 and no active Part 2 consent "
            "covers their disclosure.",
        )
    if facts.full_note_open:
        return Disclosure(NoteDisclosure.FULL, may_open_full=False, reason="You opened the full note.")
    return Disclosure(
        NoteDisclosure.BILLING,
        may_open_full=True,
        reason="Billing view: what a claim needs (minimum necessary). Open the full note for an appeal, "
        "a records request or a payer audit.",
    )


def disclosed_content(content: Mapping[str, object], disclosure: Disclosure) -> dict[str, object]:
    """The note's content as `disclosure` allows: all of it, the billing keys, or nothing."""
    if disclosure.level is NoteDisclosure.FULL:
        return dict(content)
    if disclosure.level is NoteDisclosure.BILLING:
        return {key: value for key, value in content.items() if key in BILLING_CONTENT_KEYS}
    return {}


def full_note_open_problems(*, purpose: str, detail: str) -> list[Problem]:
    problems: list[Problem] = []
    if purpose not in {p.value for p in FullNotePurpose}:
        problems.append(Problem("purpose_required", "Choose why you need the full note.", "purpose"))
    text = detail.strip()
    if len(text) < PURPOSE_DETAIL_MIN:
        problems.append(
            Problem(
                "purpose_detail_required",
                "Say in a few words which request this is for (e.g. the appeal or request reference).",
                "detail",
            )
        )
    elif len(text) > PURPOSE_DETAIL_MAX:
        problems.append(
            Problem("purpose_detail_too_long", f"Keep it under {PURPOSE_DETAIL_MAX} characters.", "detail")
        )
    return problems


def full_note_expires_at(opened_at: dt.datetime) -> dt.datetime:
    return opened_at + dt.timedelta(minutes=FULL_NOTE_MINUTES)


def full_note_is_open(*, expires_at: dt.datetime, now: dt.datetime) -> bool:
    """Open until `expires_at` (exclusive)."""
    return now < expires_at
