"""Minimum necessary as a table: who sees how much of a note, and the "open the full note" edges."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from clinical_notes.domain.disclosure import (
    FULL_NOTE_MINUTES,
    SECTIONS_BY_LEVEL,
    DisclosureFacts,
    NoteDisclosure,
    disclosed_content,
    full_note_expires_at,
    full_note_is_open,
    full_note_open_problems,
    note_disclosure,
)

B, F, W = NoteDisclosure.BILLING, NoteDisclosure.FULL, NoteDisclosure.WITHHELD


def _facts(clinical=False, billing=False, part2=False, consent=False, opened=False) -> DisclosureFacts:  # type: ignore[no-untyped-def]
    return DisclosureFacts(
        reads_clinical=clinical,
        reads_billing=billing,
        part2_patient=part2,
        part2_consent_active=consent,
        full_note_open=opened,
    )


# (reads_clinical, reads_billing, part2_patient, part2_consent_active, full_note_open) → (level, may open)
TABLE = [
    # clinical readers (care team, supervisors, the author) keep the full note, Part 2 or not
    ((True, False, False, False, False), (F, False)),
    ((True, False, True, False, False), (F, False)),
    # billing readers: the billing view, and the offer to open the full note
    ((False, True, False, False, False), (B, True)),
    ((False, True, False, False, True), (F, False)),
    # Part 2 without an active consent: nothing, opened or not
    ((False, True, True, False, False), (W, False)),
    ((False, True, True, False, True), (W, False)),
    # Part 2 with an active consent: like any other patient
    ((False, True, True, True, False), (B, True)),
    ((False, True, True, True, True), (F, False)),
    # neither (compliance): nothing
    ((False, False, False, False, False), (W, False)),
    ((False, False, False, False, True), (W, False)),
]


@pytest.mark.parametrize(("facts", "expected"), TABLE)
def test_note_disclosure_table(facts, expected):
    disclosure = note_disclosure(_facts(*facts))
    assert (disclosure.level, disclosure.may_open_full) == expected


def test_the_table_covers_every_combination_for_billing_readers():
    # every combination of (part2, consent, opened) for a billing-only reader is decided by the
    # same two facts: a Part 2 patient without consent → withheld; else opened → full; else billing
    for part2, consent, opened in itertools.product([False, True], repeat=3):
        level = note_disclosure(_facts(billing=True, part2=part2, consent=consent, opened=opened)).level
        expected = W if part2 and not consent else F if opened else B
        assert level == expected, (part2, consent, opened)


# What each level shows: the README's role table in data.
SECTIONS = [
    ("service", {F, B}),
    ("times", {F, B}),
    ("participants", {F, B}),
    ("place", {F, B}),
    ("diagnoses", {F, B}),
    ("medical_necessity", {F, B}),
    ("signatures", {F, B}),
    ("narrative", {F}),
    ("interventions", {F}),
    ("measurements", {F}),
    ("goals", {F}),
    ("findings", {F}),
    ("addenda", {F}),
    ("history", {F}),
]


@pytest.mark.parametrize(("section", "levels"), SECTIONS)
def test_which_levels_show_each_section(section, levels):
    assert {level for level, shown in SECTIONS_BY_LEVEL.items() if section in shown} == levels


def test_every_section_is_in_the_table():
    assert set(SECTIONS_BY_LEVEL[F]) == {section for section, _ in SECTIONS}


CONTENT = {
    "participants": {"patient_present": True, "others": ""},
    "session_focus": "focus",
    "mental_status": "status",
    "risk_factors": "risk",
    "safety_plan": "plan for safety",
    "interventions": ["dtt"],
    "medical_necessity": "why now",
    "plan": "next",
    "an_old_field": "renamed since",
}


@pytest.mark.parametrize(
    ("level", "keys"),
    [
        (F, set(CONTENT)),
        (B, {"participants", "medical_necessity"}),
        (W, set()),
    ],
)
def test_disclosed_content_keeps_only_what_the_level_shows(level, keys):
    disclosure = note_disclosure(_facts(clinical=level is F, billing=level is B))
    assert set(disclosed_content(CONTENT, disclosure)) == keys


@pytest.mark.parametrize(
    ("purpose", "detail", "codes"),
    [
        # the documented edges: 5 to 200 characters after trimming
        ("appeal", "x" * 5, []),
        ("records_request", "x" * 200, []),
        ("payer_audit", "  Audit 42  ", []),
        ("appeal", " " + "x" * 4 + " ", ["purpose_detail_required"]),
        ("appeal", " " * 10, ["purpose_detail_required"]),
        ("appeal", "x" * 201, ["purpose_detail_too_long"]),
        ("", "Appeal 2026-118", ["purpose_required"]),
        ("curiosity", "Appeal 2026-118", ["purpose_required"]),
        ("", "", ["purpose_required", "purpose_detail_required"]),
    ],
)
def test_opening_the_full_note_needs_a_purpose_and_a_detail(purpose, detail, codes):
    assert [p.code for p in full_note_open_problems(purpose=purpose, detail=detail)] == codes


OPENED = dt.datetime(2026, 3, 10, 16, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("after", "is_open"),
    [
        (dt.timedelta(0), True),
        (dt.timedelta(minutes=FULL_NOTE_MINUTES) - dt.timedelta(microseconds=1), True),
        (dt.timedelta(minutes=FULL_NOTE_MINUTES), False),
        (dt.timedelta(hours=2), False),
    ],
)
def test_an_opened_full_note_stays_open_for_thirty_minutes(after, is_open):
    expires = full_note_expires_at(OPENED)
    assert FULL_NOTE_MINUTES == 30
    assert full_note_is_open(expires_at=expires, now=OPENED + after) is is_open
