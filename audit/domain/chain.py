"""The audit hash chain: how a row's hash is computed and how a chain is verified.

hash(n) = SHA-256(prev_hash(n) | canonical fields of row n). Editing a row breaks its hash;
deleting, inserting or reordering rows breaks a `prev_hash` link or the `seq` sequence;
removing rows from the tail is caught against the chain head (last seq and hash).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from core.domain.problems import Problem

GENESIS_HASH = "0" * 64


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
    hash: str = ""


def compute_hash(record: ChainRecord) -> str:
    payload = {
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
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{record.prev_hash}|{canonical}".encode()).hexdigest()


def verify_chain(
    records: Iterable[ChainRecord], *, head_seq: int, head_hash: str
) -> tuple[int, list[Problem]]:
    """Walk the chain in `seq` order. Return (rows checked, problems found)."""
    problems: list[Problem] = []
    expected_prev = GENESIS_HASH
    expected_seq = 1
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
        if compute_hash(record) != record.hash:
            problems.append(
                Problem(
                    "audit_row_altered",
                    "This event's contents no longer match its hash: it was edited.",
                    where,
                )
            )
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
    return checked, problems
