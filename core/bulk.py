"""Fast appends of many rows (an ERA of 10,000 claims writes ~170,000): plain dicts in, no model
instances. On PostgreSQL one COPY per table, with ids drawn beforehand from the table's sequence
(`ids_reserve`) so rows of one table can name rows of another; elsewhere (SQLite, the demo)
`bulk_create`. Values go in as given: the caller supplies every NOT NULL column without a
database default (model defaults are filled in here). Call inside a transaction.

The rows may be a generator: COPY reads them in chunks as they come, so the caller can compute
the next rows while PostgreSQL stores the previous ones, and neither the rows nor their CSV are
ever all in memory. `core.memory.gc_paused` keeps the cyclic garbage collector out of such bulk work."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection, models
from django.utils import timezone


def ids_reserve(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys for `model`, unused by anyone else."""
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None  # noqa: S101 (every model has one)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: writers are serialised by the database lock the caller's transaction holds
        # (it has written already); take the next ids after the largest one.
        cursor.execute(f'SELECT COALESCE(MAX("{pk.column}"), 0) FROM "{table}"')  # noqa: S608 (model metadata)
        start = int(cursor.fetchone()[0]) + 1
        return list(range(start, start + count))


def _quoted(value: Any) -> str:
    return "" if value is None else '"' + str(value).replace('"', '""') + '"'


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def _iso(value: Any) -> str:
    return "" if value is None else value.isoformat()


def _flag(value: Any) -> str:
    return "" if value is None else ("t" if value else "f")


def _json(value: Any) -> str:
    return _quoted(json.dumps(value))


def _converter(field: models.Field) -> Callable[[Any], str]:  # type: ignore[type-arg]
    """How one column's Python values are written in COPY's CSV (None is NULL)."""
    if isinstance(field, models.BooleanField):
        return _flag
    if isinstance(field, models.IntegerField | models.AutoField | models.ForeignKey | models.DecimalField):
        return _plain
    if isinstance(field, models.DateField | models.DateTimeField):
        return _iso
    if isinstance(field, models.JSONField):
        return _json
    return _quoted


class _CsvChunks:
    """A file-like `read()` over CSV lines that COPY pulls in chunks of about 1,000 lines. An
    error raised while producing them is kept: psycopg2 reports it as a cancelled COPY."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.error: Exception | None = None

    def read(self, size: int = -1) -> bytes:
        try:
            return "".join(itertools.islice(self._lines, 1000)).encode()
        except Exception as error:
            self.error = error
            raise


def rows_insert(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """Insert `rows` (dicts keyed by attname: `era_id`, not `era`) into `model`'s table. `rows`
    may be a generator: it is consumed once, as COPY reads it."""
    stream = iter(rows)
    first = next(stream, None)
    if first is None:
        return 0
    rows = itertools.chain((first,), stream)
    fields = [f for f in model._meta.concrete_fields if f.attname in first or not f.primary_key]
    now = timezone.now()
    defaults = {
        f.attname: now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_default()
        for f in fields
    }
    if connection.vendor != "postgresql":
        instances = [model(**{**defaults, **row}) for row in rows]
        model._default_manager.bulk_create(instances, batch_size=500)
        return len(instances)
    columns = ", ".join(f'"{f.column}"' for f in fields)
    plan = [(f.attname, defaults[f.attname], _converter(f)) for f in fields]
    count = 0

    def lines() -> Iterator[str]:
        nonlocal count
        for row in rows:
            get = row.get
            yield ",".join([convert(get(name, default)) for name, default, convert in plan]) + "\n"
            count += 1

    chunks = _CsvChunks(lines())
    with connection.cursor() as cursor:
        try:
            cursor.copy_expert(
                f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN WITH (FORMAT csv)', chunks
            )
        except Exception:
            if chunks.error is not None:  # the rows' own error (a bad row, a bug while planning)
                raise chunks.error from None
            raise
    return count
