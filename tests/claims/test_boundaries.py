"""claims reads other apps only through their selectors and locks only its own rows."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CLAIMS = Path(__file__).resolve().parents[2] / "claims"
OTHER_APPS = {p.parent.name for p in CLAIMS.parent.glob("*/apps.py")} - {"claims"}
# Writes to other apps (authorization usage, audit) go through their services.
ALLOWED_OTHER_MODELS = {"core.models", "audit.models"}  # base model; AuditEvent enums for audit_event_record


def _modules() -> list[Path]:
    return sorted(p for p in CLAIMS.rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(CLAIMS)))
def test_claims_imports_no_other_apps_models(path: Path):
    tree = ast.parse(path.read_text())
    imported = [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
    ]
    offending = [
        m
        for m in imported
        if m.split(".")[0] in OTHER_APPS and m.endswith(".models") and m not in ALLOWED_OTHER_MODELS
    ]
    assert offending == []


def test_claims_locks_only_claims_rows():
    source = (CLAIMS / "lock_objects.py").read_text()
    tree = ast.parse(source)
    models_imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } - {"__future__", "datetime"}
    assert models_imported == {"claims.models"}
    for path in _modules():
        if path.name != "lock_objects.py":
            text = path.read_text()
            for name in ("SessionNote", "Patient", "Payer", "Provider"):
                assert f"{name}.objects.select_for_update" not in text, path
