"""Scope of practice: which credentials may render which codes (pure; the one rule).

The national defaults are data (`coding/data/scope_of_practice.json`): code families, each with
the credentials (or credential groups) that may render them and a plain "why" and "how to fix".
A payer narrows or widens them (`PayerScope`, filled from its "who renders" rules).

`scope_decision` is THE who-may-render rule: the coding engine (and so `suggest_codes` and the
"try it" panel), `payer_rules.domain.policy.rendering_decision` (and so the scrubber and charge
capture) and the note editor's warning all ask it. Order of the answer:

1. no credential: not checked (allowed);
2. the payer's first rule that lists the credential (and the code, or any code): "not allowed"
   refuses; "allowed" with the code named widens; "allowed" for any code defers to 3;
3. no payer rule lists the credential and the payer pays only listed credentials: refused;
4. the national table: the code's family names the credential, or the code is in no family.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType

from coding.domain.types import PayerScope
from practice.domain.credentials import Credential

DATA_PACKAGE = "coding.data"
DATA_FILE = "scope_of_practice.json"


class ScopeSource(StrEnum):
    """Which rule decided."""

    NOT_CHECKED = "not_checked"  # no credential given
    NATIONAL = "national"  # the national table
    UNRESTRICTED = "unrestricted"  # the code is in no family of the table
    PAYER_NARROWS = "payer_narrows"  # a payer rule refuses it
    PAYER_WIDENS = "payer_widens"  # a payer rule naming the code allows it
    PAYER_UNLISTED = "payer_unlisted"  # the payer pays only the credentials its rules list


@dataclass(frozen=True, slots=True)
class CodeFamily:
    key: str
    label: str
    codes: frozenset[str]
    credentials: frozenset[str]  # groups expanded
    who: tuple[str, ...]  # as written: group names and credentials (for the screens)
    why: str
    fix: str


@dataclass(frozen=True, slots=True)
class ScopeTable:
    groups: Mapping[str, frozenset[str]]
    families: tuple[CodeFamily, ...]
    by_code: Mapping[str, CodeFamily]

    def family_of(self, code: str) -> CodeFamily | None:
        return self.by_code.get(code.strip().upper())

    def group(self, name: str) -> frozenset[str]:
        return self.groups[name]


@dataclass(frozen=True, slots=True)
class ScopeDecision:
    """May `credential` render `code`? `message`/`fix_hint`: the refusal in plain words ("" when
    allowed); `why`: the reason either way; `rule_index`: the payer rule that decided (0-based)."""

    code: str
    credential: str
    allowed: bool
    source: ScopeSource
    why: str
    message: str = ""
    fix_hint: str = ""
    rule_index: int | None = None
    family: str = ""  # the family's key ("" when the code is in none)


def parse_scope_table(raw: Mapping[str, object], *, credentials: frozenset[str]) -> ScopeTable:
    """Build the table from the parsed JSON; raise ValueError naming the first bad entry.

    `credentials` are the known credential values (practice.domain.credentials)."""
    groups_raw = raw.get("groups")
    families_raw = raw.get("families")
    if not isinstance(groups_raw, dict) or not isinstance(families_raw, list):
        raise ValueError(f"{DATA_FILE}: 'groups' must be an object and 'families' a list")
    groups: dict[str, frozenset[str]] = {}
    for name, members in groups_raw.items():
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            raise ValueError(f"{DATA_FILE}: groups.{name} must be a list of credentials")
        unknown = sorted(set(members) - credentials)
        if unknown:
            raise ValueError(f"{DATA_FILE}: groups.{name} names unknown credential(s) {', '.join(unknown)}")
        groups[name] = frozenset(members)
    families: list[CodeFamily] = []
    by_code: dict[str, CodeFamily] = {}
    for index, spec in enumerate(families_raw):
        if not isinstance(spec, dict):
            raise ValueError(f"{DATA_FILE}: families[{index}] must be an object")
        key = str(spec.get("key", ""))
        codes = spec.get("codes")
        who = spec.get("who")
        if not key or not isinstance(codes, list) or not codes or not isinstance(who, list) or not who:
            raise ValueError(f"{DATA_FILE}: families[{index}] needs a key, codes and who")
        allowed: set[str] = set()
        for entry in who:
            if entry in groups:
                allowed |= groups[entry]
            elif entry in credentials:
                allowed.add(entry)
            else:
                raise ValueError(f"{DATA_FILE}: family {key} names unknown credential or group {entry!r}")
        family = CodeFamily(
            key=key,
            label=str(spec.get("label") or key),
            codes=frozenset(str(c).upper() for c in codes),
            credentials=frozenset(allowed),
            who=tuple(str(w) for w in who),
            why=str(spec.get("why", "")),
            fix=str(spec.get("fix", "")),
        )
        for code in family.codes:
            if code in by_code:
                raise ValueError(f"{DATA_FILE}: {code} is in both {by_code[code].key} and {key}")
            by_code[code] = family
        families.append(family)
    return ScopeTable(
        groups=MappingProxyType(groups), families=tuple(families), by_code=MappingProxyType(by_code)
    )


@cache
def scope_table() -> ScopeTable:
    text = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_scope_table(json.loads(text), credentials=frozenset(c.value for c in Credential))


def a_credential(credential: str) -> str:
    """'a BHT', 'an RBT', 'an LCSW' (credentials are read letter by letter)."""
    return f"{'an' if credential[:1].upper() in 'AEFHILMNORSX' else 'a'} {credential}"


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def group_label(name: str) -> str:
    """'licensed_clinicians' -> 'licensed clinicians' (the screens)."""
    return name.replace("_", " ")


def _national(credential: str, code: str, table: ScopeTable) -> ScopeDecision:
    family = table.family_of(code)
    if family is None:
        return ScopeDecision(
            code=code,
            credential=credential,
            allowed=True,
            source=ScopeSource.UNRESTRICTED,
            why=f"{code}: no scope-of-practice rule names it; any credential may render it.",
        )
    if credential in family.credentials:
        return ScopeDecision(
            code=code,
            credential=credential,
            allowed=True,
            source=ScopeSource.NATIONAL,
            why=f"{code} is {family.label}: {a_credential(credential)} may render it.",
            family=family.key,
        )
    return ScopeDecision(
        code=code,
        credential=credential,
        allowed=False,
        source=ScopeSource.NATIONAL,
        why=f"{code} is {family.label}: {a_credential(credential)} may not render it.",
        message=f"{_first_upper(a_credential(credential))} may not render {code} ({family.label}): {family.why}.",
        fix_hint=family.fix,
        family=family.key,
    )


def scope_decision(
    *,
    credential: str,
    code: str,
    payer: PayerScope | None = None,
    payer_label: str = "The payer",
    table: ScopeTable | None = None,
) -> ScopeDecision:
    """May `credential` render `code` for this payer? (See the module docstring for the order.)"""
    code = code.strip().upper()
    credential = credential.strip()
    table = table or scope_table()
    if not credential:
        return ScopeDecision(
            code=code,
            credential="",
            allowed=True,
            source=ScopeSource.NOT_CHECKED,
            why="No rendering credential given: who may render was not checked.",
        )
    national = _national(credential, code, table)
    payer = payer or PayerScope()
    for index, rule in enumerate(payer.rules):
        if credential not in rule.credentials or (rule.codes and code not in rule.codes):
            continue
        if not rule.allowed:
            return ScopeDecision(
                code=code,
                credential=credential,
                allowed=False,
                source=ScopeSource.PAYER_NARROWS,
                why=f"{code} rendered by {a_credential(credential)}: {payer_label} does not pay it (its rule {index + 1}).",
                message=f"{payer_label} does not pay {code} rendered by {a_credential(credential)} (its rule {index + 1}).",
                fix_hint="Have a credential the payer accepts render it, or bill another payer.",
                rule_index=index,
                family=national.family,
            )
        if rule.codes and not national.allowed:
            return ScopeDecision(
                code=code,
                credential=credential,
                allowed=True,
                source=ScopeSource.PAYER_WIDENS,
                why=(
                    f"{code} rendered by {a_credential(credential)}: outside the national scope of practice, "
                    f"but {payer_label} pays it (its rule {index + 1})."
                ),
                rule_index=index,
                family=national.family,
            )
        return national
    if not payer.unlisted_allowed:
        return ScopeDecision(
            code=code,
            credential=credential,
            allowed=False,
            source=ScopeSource.PAYER_UNLISTED,
            why=f"{code} rendered by {a_credential(credential)}: {payer_label} pays only the credentials its rules list.",
            message=(
                f"{payer_label} pays only the credentials its rules list, and {a_credential(credential)} is not "
                f"among them for {code}."
            ),
            fix_hint="Have a credential the payer accepts render it, or bill another payer.",
            family=national.family,
        )
    return national
