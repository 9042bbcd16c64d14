"""Write docs/pitfalls.md: each pitfall of the team's DOMAIN-rcm-pitfalls.md with the tests that
name its id (in the test's name, docstring or comments, or the test module's docstring).

    python scripts/pitfall_index.py [../shared/DOMAIN-rcm-pitfalls.md] > docs/pitfalls.md

`tests/test_pitfall_index.py` checks that every test the index names still exists.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "DOMAIN-rcm-pitfalls.md"
SHOWN = 4


def _pitfalls(text: str) -> list[tuple[str, str, str]]:
    """(section, id, title) in the document's order."""
    found: list[tuple[str, str, str]] = []
    section = ""
    for line in text.splitlines():
        heading = re.match(r"^## \d+\. (.+)", line)
        if heading:
            section = heading.group(1).strip()
        item = re.match(r"^\*\*([A-Z]\d+) (?:★ )?(.+?)\*\*", line)
        if item:
            found.append((section, item.group(1), item.group(2).rstrip(".")))
    return found


def _mentions(text: str, pitfall_id: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9]){pitfall_id}(?![0-9])", text, re.IGNORECASE) is not None


def _tests_naming(ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {pid: [] for pid in ids}
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        source = path.read_text()
        tree = ast.parse(source)
        where = path.relative_to(ROOT).as_posix()
        module_doc = ast.get_docstring(tree) or ""
        for pid in ids:
            if re.search(rf"(?<![A-Za-z0-9]){pid}(?![0-9])", module_doc):
                found[pid].append(f"{where} (module)")
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            if not node.name.startswith(("test", "Test")):
                continue
            body = ast.get_source_segment(source, node) or ""
            comments = " ".join(
                c for c in re.findall(r"#([^\n]*)", body) if "fmt:" not in c and "noqa" not in c
            )
            text = f"{node.name} {ast.get_docstring(node) or ''} {comments}"
            for pid in ids:
                if _mentions(node.name, pid) or re.search(rf"(?<![A-Za-z0-9]){pid}(?![0-9])", text):
                    found[pid].append(f"{where}::{node.name}")
    return found


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    pitfalls = _pitfalls(source.read_text())
    tests = _tests_naming([pid for _, pid, _ in pitfalls])
    out = [
        "# Pitfalls and the tests that check them",
        "",
        "Each pitfall of the team's `DOMAIN-rcm-pitfalls.md` (what other billing products got wrong)",
        "with the tests that name its id. Written by `python scripts/pitfall_index.py > docs/pitfalls.md`;",
        "`tests/test_pitfall_index.py` checks that every test named here exists.",
    ]
    section = None
    missing: list[str] = []
    for where, pid, title in pitfalls:
        if where != section:
            section = where
            out += ["", f"## {section}", "", "| id | pitfall | tests |", "|---|---|---|"]
        named = tests[pid]
        if not named:
            missing.append(pid)
        shown = "<br>".join(f"`{t}`" for t in named[:SHOWN])
        if len(named) > SHOWN:
            shown += f"<br>(+{len(named) - SHOWN} more)"
        out.append(f"| {pid} | {title} | {shown or 'none yet'} |")
    sys.stdout.write("\n".join(out) + "\n")
    if missing:
        sys.stderr.write(f"pitfalls without a test: {', '.join(missing)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
