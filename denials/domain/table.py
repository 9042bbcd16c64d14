"""The denial table shipped as data (`denials/data/denial_rules.json`, our own labels).

Parsed once into frozen values; nothing here does other I/O."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

_FILE = Path(__file__).resolve().parent.parent / "data" / "denial_rules.json"
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class CodeRule:
    label: str
    category: str
    action: str


@dataclass(frozen=True, slots=True)
class Refinement:
    carc: str
    group: str  # "" = any group
    rarc: str  # "" = any remark
    category: str
    action: str
    why: str


@dataclass(frozen=True, slots=True)
class ParityRule:
    carcs: frozenset[str]
    code_prefixes: tuple[str, ...]
    codes: frozenset[str]
    diagnosis_prefixes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DenialTable:
    categories: dict[str, str]  # category -> label
    category_kinds: dict[str, str]  # category -> front_end / clinical / payer / unknown
    actions: dict[str, str]  # action -> label
    carcs: dict[str, CodeRule]
    refinements: tuple[Refinement, ...]
    no_appeal_rarcs: frozenset[str]
    parity: ParityRule
    cost_to_work_cents: dict[str, int]
    recovery_percent: dict[str, int]
    reminder_days: tuple[int, ...]  # descending: 14, 7, 2
    repeat_count: int
    repeat_window_days: int


def _parse(data: dict[str, Any]) -> DenialTable:
    parity = data["parity"]
    cost = data["cost_benefit"]
    return DenialTable(
        categories={key: value["label"] for key, value in data["categories"].items()},
        category_kinds={key: value["kind"] for key, value in data["categories"].items()},
        actions=dict(data["actions"]),
        carcs={
            code: CodeRule(label=value["label"], category=value["category"], action=value["action"])
            for code, value in data["carc"].items()
        },
        refinements=tuple(
            Refinement(
                carc=item["carc"],
                group=item.get("group", ""),
                rarc=item.get("rarc", ""),
                category=item["category"],
                action=item["action"],
                why=item["why"],
            )
            for item in data["refinements"]
        ),
        no_appeal_rarcs=frozenset(data["no_appeal_rarcs"]),
        parity=ParityRule(
            carcs=frozenset(parity["carcs"]),
            code_prefixes=tuple(parity["code_prefixes"]),
            codes=frozenset(parity["codes"]),
            diagnosis_prefixes=tuple(parity["diagnosis_prefixes"]),
        ),
        cost_to_work_cents={key: int(value) for key, value in cost["cost_to_work_cents"].items()},
        recovery_percent={key: int(value) for key, value in cost["recovery_percent"].items()},
        reminder_days=tuple(sorted((int(d) for d in data["reminder_days"]), reverse=True)),
        repeat_count=int(data["repeat_pattern"]["count"]),
        repeat_window_days=int(data["repeat_pattern"]["window_days"]),
    )


@cache
def denial_table() -> DenialTable:
    return _parse(json.loads(_FILE.read_text(encoding="utf-8")))


def category_label(category: str) -> str:
    return denial_table().categories.get(category, category.replace("_", " ").capitalize())


def action_label(action: str) -> str:
    return denial_table().actions.get(action, action.replace("_", " ").capitalize())
