"""The audit hash chain: how a row's hash is computed and how a chain is verified.

Two versions of a row's hash live in one chain:

- version 1 (rows written before the chain was keyed): SHA-256(prev_hash | canonical fields);
- version 2: HMAC-SHA256(key, prev_hash | canonical fields, chain version and key id). The key
  comes from the environment and is never stored in the database, so someone who can write the
  database but does not hold the key cannot re-seal an edited row.

Editing a row breaks its hash; deleting, inserting or reordering rows breaks a `prev_hash` link
or the `seq` sequence; removing rows from the tail is caught against the chain head (last seq and
hash). Once a keyed row exists, a later unkeyed row is a downgrade; a row sealed with a key other
than the previous row's must be the key-rotation event that announces that key. Signed
checkpoints written outside the database (see `audit.domain.anchor`) pin the hash at a `seq`: a
chain recomputed from scratch no longer matches them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from core.domain.problems import Problem

GENESIS_HASH = "0" * 64
LEGACY_VERSION = 1  # plain SHA-256
KEYED_VERSION = 2  # HMAC-SHA256 with a key from the environment

# The action and object type of the event that starts a key (see `rotation_detail`).
KEY_ROTATION_ACTION = "rotate_key"
KEY_ROTATION_OBJECT_TYPE = "audit_chain_key"


@dataclass(frozen=True, slots=True)
class ChainKey:
    """A chain key: its public id (a fingerprint, safe to store) and its secret (never stored)."""

    key_id: str
    secret: bytes


def chain_key(secret: str) -> ChainKey:
    """The key for a secret from the environment; its id is a short fingerprint of the secret."""
    raw = secret.encode()
    fingerprint = hashlib.sha256(b"parity-audit-chain-key-id\x00" + raw).hexdigest()[:16]
    return ChainKey(key_id=fingerprint, secret=raw)


def rotation_detail(*, new_key_id: str, old_key_id: str) -> str:
    """The rotation event's detail: which key starts, which one it follows (ids, never keys)."""
    follows = old_key_id or "unkeyed SHA-256"
    return f"chain key {new_key_id} follows {follows}"


@dataclass(frozen=True, slots=True)
class ChainRecord:
    seq: int
    occurred_at: datetime
    actor_id: int | None
    actor_username: str
    practice_id: int | None
    patient_id: int | None
    action: str
    category: str
    object_type: str
    object_id: str
    outcome: str
    detail: str
    ip_address: str | None
    request_path: str
    prev_hash: str
    chain_version: int = LEGACY_VERSION
    key_id: str = ""
    shown_patient_ids: str = ""
    hash: str = ""


def shown_ids_text(patient_ids: Iterable[int]) -> str:
    """The patients a list showed, stored as ",12,34," (sorted, no repeats; "" for none), so
    that "contains ,X," finds patient X on every database."""
    unique = sorted({int(i) for i in patient_ids})
    return f",{','.join(str(i) for i in unique)}," if unique else ""


def shown_ids_needle(patient_id: int) -> str:
    return f",{int(patient_id)},"


def _canonical(record: ChainRecord) -> dict[str, object]:
    payload: dict[str, object] = {
        "seq": record.seq,
        "occurred_at": record.occurred_at.isoformat(),
        "actor_id": record.actor_id,
        "actor_username": record.actor_username,
        "practice_id": record.practice_id,
        "patient_id": record.patient_id,
        "action": record.action,
        "category": record.category,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "outcome": record.outcome,
        "detail": record.detail,
        "ip_address": record.ip_address,
        "request_path": record.request_path,
    }
    if record.chain_version != LEGACY_VERSION:
        payload["chain_version"] = record.chain_version
        payload["key_id"] = record.key_id
        payload["shown_patient_ids"] = record.shown_patient_ids
    return payload


def compute_hash(record: ChainRecord, *, secret: bytes | None = None) -> str:
    """The row's hash: plain SHA-256 for version 1, HMAC-SHA256 with `secret` for version 2."""
    canonical = json.dumps(_canonical(record), sort_keys=True, separators=(",", ":"))
    message = f"{record.prev_hash}|{canonical}".encode()
    if record.chain_version == LEGACY_VERSION:
        return hashlib.sha256(message).hexdigest()
    if record.chain_version != KEYED_VERSION:
        raise ValueError(f"unknown chain version {record.chain_version}")
    if secret is None:
        raise ValueError("a keyed row needs the chain key")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class PinnedHash:
    """A checkpoint already proven authentic: the chain's hash at `seq` was `head_hash`."""

    seq: int
    head_hash: str
    where: str  # how a finding names it, e.g. "checkpoint 2026-12-06T09:00:00+00:00"


def _row_problems(
    record: ChainRecord, *, keys: Mapping[str, bytes], previous_key_id: str | None, where: str
) -> list[Problem]:
    """A row's own seal: known version and key, no downgrade, key changes only by rotation.

    `previous_key_id` is None before the first row, "" after unkeyed rows, else the key id of
    the last keyed row.
    """
    if record.chain_version == LEGACY_VERSION:
        if previous_key_id:
            return [
                Problem(
                    "audit_downgraded",
                    "This event is sealed without the chain key after keyed events: it was rewritten.",
                    where,
                )
            ]
        # Unkeyed rows predate the shown-patients column: a value there was written since.
        intact = compute_hash(record) == record.hash and not record.shown_patient_ids
        return [] if intact else [_altered(where)]
    if record.chain_version != KEYED_VERSION:
        return [Problem("audit_unknown_version", f"Unknown chain version {record.chain_version}.", where)]
    problems: list[Problem] = []
    if (
        previous_key_id is not None
        and record.key_id != previous_key_id
        and not (
            record.action == KEY_ROTATION_ACTION
            and record.detail == rotation_detail(new_key_id=record.key_id, old_key_id=previous_key_id)
        )
    ):
        problems.append(
            Problem(
                "audit_key_switch_unrecorded",
                f"This event is sealed with key {record.key_id}, but no rotation event started that key.",
                where,
            )
        )
    secret = keys.get(record.key_id)
    if secret is None:
        problems.append(
            Problem(
                "audit_key_unknown",
                f"This event is sealed with key {record.key_id}, which is not configured: it cannot be checked.",
                where,
            )
        )
    elif compute_hash(record, secret=secret) != record.hash:
        problems.append(_altered(where))
    return problems


def _altered(where: str) -> Problem:
    return Problem(
        "audit_row_altered", "This event's contents no longer match its hash: it was edited.", where
    )


def verify_chain(
    records: Iterable[ChainRecord],
    *,
    head_seq: int,
    head_hash: str,
    keys: Mapping[str, bytes] | None = None,
    pinned: Sequence[PinnedHash] = (),
) -> tuple[int, list[Problem]]:
    """Walk the chain in `seq` order. Return (rows checked, problems found).

    `keys` maps key ids to secrets (the current key and any earlier ones still configured);
    `pinned` are the authentic checkpoints the chain must still match.
    """
    keys = keys or {}
    pins: dict[int, list[PinnedHash]] = {}
    for pin in pinned:
        pins.setdefault(pin.seq, []).append(pin)
    seen_at_pins: dict[int, str] = {0: GENESIS_HASH}
    problems: list[Problem] = []
    expected_prev = GENESIS_HASH
    expected_seq = 1
    key_id: str | None = None
    checked = 0
    for record in records:
        checked += 1
        where = f"seq {record.seq}"
        if record.seq != expected_seq:
            problems.append(
                Problem(
                    "audit_seq_gap",
                    f"Expected event {expected_seq} but found {record.seq}: events were removed or reordered.",
                    where,
                )
            )
        if record.prev_hash != expected_prev:
            problems.append(
                Problem(
                    "audit_link_broken",
                    "This event does not follow the one before it: an event was inserted, removed or moved.",
                    where,
                )
            )
        problems.extend(_row_problems(record, keys=keys, previous_key_id=key_id, where=where))
        if record.chain_version == KEYED_VERSION:
            key_id = record.key_id
        elif key_id is None:
            key_id = ""
        if record.seq in pins:
            seen_at_pins[record.seq] = record.hash
        expected_prev = record.hash
        expected_seq = record.seq + 1
    if head_seq != expected_seq - 1 or (checked and head_hash != expected_prev):
        problems.append(
            Problem(
                "audit_tail_mismatch",
                f"The chain should end at event {head_seq}, but ends at {expected_seq - 1}: events were removed or added at the end.",
                "head",
            )
        )
    problems.extend(_pin_problems(pinned, seen_at_pins))
    return checked, problems


def _pin_problems(pinned: Sequence[PinnedHash], seen: Mapping[int, str]) -> list[Problem]:
    problems: list[Problem] = []
    for pin in pinned:
        found = seen.get(pin.seq)
        if found is None:
            problems.append(
                Problem(
                    "audit_checkpoint_missing_event",
                    f"A signed checkpoint saw event {pin.seq}; the chain no longer has it.",
                    pin.where,
                )
            )
        elif not hmac.compare_digest(found, pin.head_hash):
            problems.append(
                Problem(
                    "audit_checkpoint_mismatch",
                    f"Event {pin.seq} no longer has the hash a signed checkpoint recorded: the chain was rewritten.",
                    pin.where,
                )
            )
    return problems
