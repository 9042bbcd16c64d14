"""The note editor's service list: the author's permitted services first (pure)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

PERMITTED_GROUP = "Services you may provide"


def service_choices_for(
    choices: Sequence[tuple[str, str]], *, permitted: Collection[str], payer_name: str = ""
) -> list[tuple[str, object]]:
    """`choices` (value, label) split into the permitted services and the others, each in the
    original order. Nothing is hidden: an author may still document another service (the editor
    warns). When every service (or none) is permitted the list is returned unchanged."""
    first = [(v, label) for v, label in choices if v in permitted]
    rest = [(v, label) for v, label in choices if v not in permitted]
    if not first or not rest:
        return list(choices)
    others = f"Not paid for your credential{f' by {payer_name}' if payer_name else ''}"
    return [(PERMITTED_GROUP, first), (others, rest)]
