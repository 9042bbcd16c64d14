"""Track changes between a note and the patient's previous one: words kept, inserted, deleted."""

from __future__ import annotations

import pytest

from clinical_notes.domain.templates import catalog
from clinical_notes.domain.track_changes import Change, Piece, narrative_changes, word_changes

S, INS, D = Change.SAME, Change.INSERTED, Change.DELETED


@pytest.mark.parametrize(
    ("_case", "before", "after", "pieces"),
    [
        ("identical", "Client calm.", "Client calm.", [("Client calm.", S)]),
        (
            "a word inserted",
            "Client calm.",
            "Client very calm.",
            [("Client ", S), ("very ", INS), ("calm.", S)],
        ),
        ("a word deleted", "Client very calm.", "Client calm.", [("Client ", S), ("very ", D), ("calm.", S)]),
        (
            "a word replaced: deleted first",
            "Mood low today.",
            "Mood stable today.",
            [("Mood ", S), ("low ", D), ("stable ", INS), ("today.", S)],
        ),
        ("all new", "", "First session.", [("First session.", INS)]),
        ("all gone", "Old text", "", [("Old text", D)]),
    ],
)
def test_word_changes_read_like_tracked_changes(_case, before, after, pieces):
    assert word_changes(before, after) == tuple(Piece(text, change) for text, change in pieces)


def test_narrative_changes_follow_the_template_and_flag_changed_fields():
    cat = catalog()
    key = cat.narrative_fields()[0]
    changes = narrative_changes({key: "Client engaged well."}, {key: "Client engaged."}, cat)
    assert [(c.key, c.changed) for c in changes] == [(key, True)]
    assert changes[0].label == cat.fields[key].label
    same = narrative_changes({key: "Same words."}, {key: "Same words."}, cat)
    assert [c.changed for c in same] == [False]
