"""Reads of the hash chain for the verifier: its recorded tip and every event in order.

Kept apart from the compliance viewer's reads (selectors.py), which record themselves through
services.py: the verifier service reads from here, so the two never import each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields

from audit.domain.chain import GENESIS_HASH, ChainRecord
from audit.models import AuditChainHead, AuditEvent

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
