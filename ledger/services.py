"""The only writers of the ledger: rows are appended (bulk for a posting), never changed.

- `ledger_entries_append` writes the rows a posting computed (the caller holds the claims'
  row locks and the transaction).
  Patient payments, credits, refunds and statements: `ledger.patient_billing`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from core.bulk import rows_insert
from ledger.models import Account, EntryKind, LedgerEntry

_ACCOUNTS = frozenset(Account.values)
_KINDS = frozenset(EntryKind.values)


def _checked(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for row in rows:
        if "id" in row:
            raise ValueError("ledger rows are appended once, with new ids")
        if type(row["amount_cents"]) is not int:
            raise TypeError("ledger amounts are integer cents")
        if row["account"] not in _ACCOUNTS or row["kind"] not in _KINDS:
            raise ValueError(f"unknown ledger account or kind: {row['account']!r} {row['kind']!r}")
        yield row


def ledger_entries_append(*, rows: Iterable[dict[str, Any]]) -> int:
    """Append rows (dicts keyed by LedgerEntry attnames) computed by a posting service: one COPY
    on PostgreSQL. Integer cents only; the table's constraints check the rest. `rows` may be a
    generator (a posting streams its rows while it plans the next claims); a bad row stops the
    COPY, and the caller's transaction rolls back."""
    return rows_insert(LedgerEntry, _checked(rows))
