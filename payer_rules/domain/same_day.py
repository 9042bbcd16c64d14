"""Same-day code conflicts as data: pairs of codes a payer does not pay together on one date.

A `SameDayRule` says: a line with one of `codes` and a line with one of `with_codes` on the same
date of service (by the same rendering provider when `same_provider`) conflict, with the
rule's `severity` ("off" turns a rule off). The national defaults are our own table
(`claims/data/same_day_conflicts.json`, no copyrighted edit files); a payer's rules document
overrides them by `rule` name in its "same_day" list and may add rules of its own:

    "same_day": [{"rule": "diagnostic_evaluation_with_psychotherapy", "severity": "error"},
                 {"rule": "family_with_group", "codes": ["90847"], "with_codes": ["90853"]}]

An override that leaves `codes`/`with_codes` empty keeps the default's codes; `why` and
`fix_hint` empty keep the default's words.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from importlib import resources

from pydantic import ConfigDict, TypeAdapter, with_config

from coding.domain.families import coding_data

DATA_PACKAGE = "payer_rules.data"
DATA_FILE = "same_day_conflicts.json"
EM_CODES_ALIAS = "@em"


class SameDaySeverity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


SAME_DAY_SEVERITY_LABELS = {
    SameDaySeverity.ERROR: "Error (holds the claim)",
    SameDaySeverity.WARNING: "Warning",
    SameDaySeverity.OFF: "Off (this payer pays both)",
}


@with_config(ConfigDict(extra="forbid"))
@dataclass(frozen=True, slots=True)
class SameDayRule:
    """Lines with `codes` and `with_codes` on one date conflict (see the module docstring)."""

    rule: str
    codes: tuple[str, ...] = ()
    with_codes: tuple[str, ...] = ()
    same_provider: bool = True
    severity: SameDaySeverity = SameDaySeverity.ERROR
    why: str = ""
    fix_hint: str = ""

    def partners(self, code: str) -> tuple[str, ...]:
        """The codes `code` conflicts with under this rule (none when it is not in the rule)."""
        if code in self.codes:
            return self.with_codes
        if code in self.with_codes:
            return self.codes
        return ()


def normalised(rule: SameDayRule) -> SameDayRule:
    def codes(values: Sequence[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.strip().upper() for v in values if v.strip()))

    return replace(
        rule,
        rule=rule.rule.strip().lower().replace(" ", "_"),
        codes=codes(rule.codes),
        with_codes=codes(rule.with_codes),
        why=rule.why.strip(),
        fix_hint=rule.fix_hint.strip(),
    )


def merged_rules(
    defaults: Iterable[SameDayRule], overrides: Iterable[SameDayRule]
) -> tuple[SameDayRule, ...]:
    """The defaults with a payer's overrides applied by name, then the payer's own rules."""
    by_name = {rule.rule: rule for rule in defaults}
    added: list[SameDayRule] = []
    for override in overrides:
        base = by_name.get(override.rule)
        if base is None:
            added.append(override)
            continue
        by_name[override.rule] = replace(
            override,
            codes=override.codes or base.codes,
            with_codes=override.with_codes or base.with_codes,
            why=override.why or base.why,
            fix_hint=override.fix_hint or base.fix_hint,
        )
    return (*by_name.values(), *added)


_RULES_ADAPTER: TypeAdapter[tuple[SameDayRule, ...]] = TypeAdapter(tuple[SameDayRule, ...])


def parse_rules(raw: Mapping[str, object], *, em_codes: Iterable[str]) -> tuple[SameDayRule, ...]:
    """The default table from its JSON (raises ValueError when malformed): "@em" expands to
    `em_codes`; every rule needs a unique name and codes on both sides."""
    rules = _RULES_ADAPTER.validate_python(raw.get("rules"))
    em = tuple(sorted(em_codes))

    def expand(codes: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(c for code in codes for c in (em if code == EM_CODES_ALIAS else (code,)))

    parsed = tuple(
        normalised(replace(r, codes=expand(r.codes), with_codes=expand(r.with_codes))) for r in rules
    )
    names = [r.rule for r in parsed]
    if len(names) != len(set(names)):
        raise ValueError("same-day rules: a rule name is used twice")
    for rule in parsed:
        if not rule.codes or not rule.with_codes or set(rule.codes) & set(rule.with_codes):
            raise ValueError(f"same-day rule {rule.rule}: codes on both sides, none on both")
    return parsed


@cache
def default_same_day_rules() -> tuple[SameDayRule, ...]:
    """The packaged national defaults, parsed once per process."""
    text = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_rules(json.loads(text), em_codes=coding_data().em_codes)


def same_day_rules(overrides: Iterable[SameDayRule]) -> tuple[SameDayRule, ...]:
    """The rules in force for a payer: the defaults with its overrides (see `merged_rules`)."""
    return merged_rules(default_same_day_rules(), overrides)
