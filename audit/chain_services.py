"""Verifying the audit hash chain: read the chain's recorded tip and every event in order, walk
them, and store the result.

Run by `audit.tasks.audit_chain_verify_task` (daily, and on request through
`services.audit_chain_verify_request`). Kept apart from the compliance viewer's reads
(selectors.py), which record themselves through services.py, so that the verifier and those
reads never import each other.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.domain.anchor import authentic_pins, checkpoint_line
from audit.domain.chain import GENESIS_HASH, ChainRecord, verify_chain
from audit.keys import audit_chain_current_key, audit_chain_known_keys
from audit.models import AuditChainHead, AuditEvent, AuditVerification
from core.domain.problems import Problem

CHAIN_CHUNK_SIZE = 2000

_CHAIN_FIELDS = tuple(f.name for f in fields(ChainRecord))


@dataclass(frozen=True, slots=True)
class ChainHead:
    last_seq: int
    last_hash: str


def audit_chain_head() -> ChainHead:
    """The chain's recorded tip; an empty chain when no event was ever written."""
    head = AuditChainHead.objects.filter(singleton=True).values_list("last_seq", "last_hash").first()
    if head is None:
        return ChainHead(last_seq=0, last_hash=GENESIS_HASH)
    return ChainHead(last_seq=head[0], last_hash=head[1])


def audit_chain_records(*, chunk_size: int = CHAIN_CHUNK_SIZE) -> Iterator[ChainRecord]:
    """Every event in `seq` order, streamed in chunks (a server-side cursor on PostgreSQL)."""
    rows = AuditEvent.objects.order_by("seq").values_list(*_CHAIN_FIELDS).iterator(chunk_size=chunk_size)
    for row in rows:
        yield ChainRecord(*row)


def audit_anchor_lines() -> tuple[list[str], Problem | None]:
    """The checkpoint file's lines (none yet: an empty list), or the problem reading it."""
    path = Path(settings.AUDIT_ANCHOR_PATH)
    try:
        return path.read_text(encoding="utf-8").splitlines(), None
    except FileNotFoundError:
        return [], None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        return [], Problem("audit_anchor_unreadable", f"The anchor file cannot be read ({reason}).", "anchor")


def audit_anchor_append(*, seq: int, head_hash: str, at: datetime, ok: bool) -> Problem | None:
    """Append one signed checkpoint to the anchor file (created when missing), flushed to disk.

    Returns a problem instead of raising when the file cannot be written: the verification
    records it, so a deployment whose anchor is broken shows a failed check, not a silent one.
    """
    path = Path(settings.AUDIT_ANCHOR_PATH)
    line = checkpoint_line(seq=seq, head_hash=head_hash, at=at, ok=ok, key=audit_chain_current_key())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(descriptor, (line + "\n").encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except OSError as error:
        return Problem(
            "audit_anchor_unwritable",
            f"The checkpoint could not be written to the anchor file ({error.strerror}).",
            "anchor",
        )
    return None


# A verification stores at most this many findings (plus one line saying how many more).
MAX_STORED_FINDINGS = 200


def audit_chain_verify() -> AuditVerification:
    """Walk the whole chain against its head and store the result as an AuditVerification.

    The rows are checked with the configured keys (AUDIT_CHAIN_KEY and earlier ones) and
    against every authentic checkpoint in the anchor file; then this run appends its own
    signed checkpoint (the head it saw, and whether the walk was clean).

    On PostgreSQL the walk runs in one REPEATABLE READ snapshot, so events appended while it
    runs are neither half-seen nor mistaken for rows beyond the head. The rows are streamed
    (server-side cursor), so memory does not grow with the chain.
    """
    ran_at = timezone.now()
    already_in_transaction = connection.in_atomic_block
    with transaction.atomic(durable=True):
        if connection.vendor == "postgresql" and not already_in_transaction:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        head = audit_chain_head()
        keys = audit_chain_known_keys()
        lines, unreadable = audit_anchor_lines()
        pins, problems = authentic_pins(lines, keys=keys)
        if unreadable is not None:
            problems.insert(0, unreadable)
        checked, chain_problems = verify_chain(
            audit_chain_records(), head_seq=head.last_seq, head_hash=head.last_hash, keys=keys, pinned=pins
        )
        problems.extend(chain_problems)
        unwritable = audit_anchor_append(
            seq=head.last_seq, head_hash=head.last_hash, at=ran_at, ok=not problems
        )
        if unwritable is not None:
            problems.append(unwritable)
        findings = [
            {"code": str(problem.code), "message": problem.message, "field": problem.field}
            for problem in problems[:MAX_STORED_FINDINGS]
        ]
        if len(problems) > MAX_STORED_FINDINGS:
            findings.append(
                {
                    "code": "audit_findings_truncated",
                    "message": f"{len(problems) - MAX_STORED_FINDINGS} more findings were not stored.",
                    "field": "",
                }
            )
        verification = AuditVerification(
            ran_at=ran_at, events_checked=checked, ok=not problems, findings=findings
        )
        verification.full_clean()
        verification.save()
    return verification
