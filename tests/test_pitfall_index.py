"""docs/pitfalls.md names, for each pitfall, the tests that check it: every test it names exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INDEX = ROOT / "docs" / "pitfalls.md"


def _defined(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


def test_every_test_the_pitfall_index_names_exists() -> None:
    named = re.findall(r"`(tests/[^`:]+?\.py)(?:::(\w+))?(?: \(module\))?`", INDEX.read_text())
    assert len(named) > 70  # the index lists the tests of ~77 pitfalls
    missing = [
        f"{path}::{name}" if name else path
        for path, name in named
        if not (ROOT / path).is_file() or (name and name not in _defined(ROOT / path))
    ]
    assert missing == []


def test_every_pitfall_row_has_a_test() -> None:
    rows = [line for line in INDEX.read_text().splitlines() if re.match(r"^\| [A-Z]\d+ \|", line)]
    assert len(rows) >= 77
    assert [row.split("|")[1].strip() for row in rows if row.rstrip(" |").endswith("none yet")] == []
