"""The CARC/RARC table shipped as data (`remittance/data/carc.json`, our own labels).

An unknown code never breaks posting (pitfall R5): it gets a plain "unknown code" label, the
"unknown" category and an action asking for the table to be updated."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

CATEGORIES = (
    "eligibility",
    "authorization",
    "coding",
    "documentation",
    "duplicate",
    "timely_filing",
    "coordination_of_benefits",
    "medical_necessity",
    "contractual",
    "patient_responsibility",
)
UNKNOWN = "unknown"
_TABLE = Path(__file__).resolve().parent.parent / "data" / "carc.json"


@dataclass(frozen=True, slots=True)
class CodeInfo:
    code: str
    label: str
    category: str
    action: str
    known: bool


@cache
def _table() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_TABLE.read_text(encoding="utf-8"))
    return data


def carc(code: str) -> CodeInfo:
    entry = _table()["carc"].get(code)
    if entry is None:
        return CodeInfo(
            code,
            f"Unknown code {code}: update the code list",
            UNKNOWN,
            "Look the code up and add it to the table.",
            False,
        )
    return CodeInfo(code, entry["label"], entry["category"], entry["action"], True)


def rarc(code: str) -> CodeInfo:
    entry = _table()["rarc"].get(code)
    if entry is None:
        return CodeInfo(code, f"Unknown remark {code}: update the code list", UNKNOWN, "", False)
    return CodeInfo(code, entry["label"], "", "", True)
