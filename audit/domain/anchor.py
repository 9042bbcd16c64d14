"""Signed checkpoints of the audit chain, kept outside the database (the anchor file).

Each verification appends one line of JSON: the chain's last `seq` and hash at that moment, when,
whether the walk was clean, the id of the key that signed it and an HMAC-SHA256 over the rest.
The database cannot rewrite the file, and someone without the key cannot forge a line, so a
chain recomputed inside the database no longer matches the checkpoints taken before.

Pure: the service reads and appends the file and passes the lines and keys in.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from audit.domain.chain import ChainKey, PinnedHash
from core.domain.problems import Problem


@dataclass(frozen=True, slots=True)
class Checkpoint:
    seq: int
    head_hash: str
    at: datetime
    ok: bool
    key_id: str
    mac: str = ""


def _message(checkpoint: Checkpoint) -> bytes:
    body = {
        "seq": checkpoint.seq,
        "head_hash": checkpoint.head_hash,
        "at": checkpoint.at.isoformat(),
        "ok": checkpoint.ok,
        "key_id": checkpoint.key_id,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def checkpoint_line(*, seq: int, head_hash: str, at: datetime, ok: bool, key: ChainKey) -> str:
    """One signed line for the anchor file (no trailing newline)."""
    unsigned = Checkpoint(seq=seq, head_hash=head_hash, at=at, ok=ok, key_id=key.key_id)
    mac = hmac.new(key.secret, _message(unsigned), hashlib.sha256).hexdigest()
    return json.dumps(
        {
            "seq": seq,
            "head_hash": head_hash,
            "at": at.isoformat(),
            "ok": ok,
            "key_id": key.key_id,
            "mac": mac,
        },
        sort_keys=True,
        separators=(",", ":"),
    )


def _parse(line: str) -> Checkpoint:
    data = json.loads(line)
    return Checkpoint(
        seq=int(data["seq"]),
        head_hash=str(data["head_hash"]),
        at=datetime.fromisoformat(str(data["at"])),
        ok=bool(data["ok"]),
        key_id=str(data["key_id"]),
        mac=str(data["mac"]),
    )


def authentic_pins(
    lines: Iterable[str], *, keys: Mapping[str, bytes]
) -> tuple[list[PinnedHash], list[Problem]]:
    """The anchor file's lines → the hashes they pin (clean verifications only) and problems.

    A line that does not parse, names a key that is not configured, or whose MAC is wrong is a
    problem (someone wrote the file without the key); it pins nothing.
    """
    pins: list[PinnedHash] = []
    problems: list[Problem] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        where = f"anchor line {number}"
        try:
            checkpoint = _parse(raw)
        except (ValueError, KeyError, TypeError):
            problems.append(Problem("audit_checkpoint_unreadable", "This checkpoint cannot be read.", where))
            continue
        secret = keys.get(checkpoint.key_id)
        if secret is None:
            problems.append(
                Problem(
                    "audit_checkpoint_key_unknown",
                    f"This checkpoint is signed with key {checkpoint.key_id}, which is not configured.",
                    where,
                )
            )
            continue
        expected = hmac.new(secret, _message(checkpoint), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, checkpoint.mac):
            problems.append(
                Problem(
                    "audit_checkpoint_forged",
                    "This checkpoint's signature is wrong: it was written or edited without the key.",
                    where,
                )
            )
            continue
        if checkpoint.ok:
            pins.append(PinnedHash(seq=checkpoint.seq, head_hash=checkpoint.head_hash, where=where))
    return pins, problems
