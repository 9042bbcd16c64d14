"""The co-sign queue's comparison with the patient's previous note, read like track changes:
per narrative field, the words kept, inserted and deleted (not a developer's unified diff)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from clinical_notes.domain.templates import TemplateCatalog

_TOKEN = re.compile(r"\S+\s*")


class Change(StrEnum):
    SAME = "same"
    INSERTED = "inserted"
    DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    change: Change


@dataclass(frozen=True, slots=True)
class FieldChanges:
    key: str
    label: str
    pieces: tuple[Piece, ...]
    changed: bool


def _text(content: Mapping[str, object], key: str) -> str:
    value = content.get(key)
    return value.strip() if isinstance(value, str) else ""


def word_changes(before: str, after: str) -> tuple[Piece, ...]:
    """`before` → `after` word by word: runs of kept, deleted and inserted words (a replaced run
    shows its deleted words first, as a reviewer reads a tracked change)."""
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("".join(new[j1:j2]), Change.SAME))
            continue
        if i2 > i1:
            pieces.append(Piece("".join(old[i1:i2]), Change.DELETED))
        if j2 > j1:
            pieces.append(Piece("".join(new[j1:j2]), Change.INSERTED))
    return tuple(pieces)


def narrative_changes(
    content: Mapping[str, object], previous: Mapping[str, object], cat: TemplateCatalog
) -> list[FieldChanges]:
    """Each narrative field either note has, in the template's order, with its word changes."""
    result = []
    for key in cat.narrative_fields():
        before, after = _text(previous, key), _text(content, key)
        if not before and not after:
            continue
        pieces = word_changes(before, after)
        spec = cat.fields.get(key)
        result.append(
            FieldChanges(
                key=key,
                label=spec.label if spec else key.replace("_", " "),
                pieces=pieces,
                changed=any(p.change is not Change.SAME for p in pieces),
            )
        )
    return result
