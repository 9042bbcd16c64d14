"""Count the SQL queries of one call: the lists' "constant in the number of rows" tests."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_of(run: Callable[[], object]) -> int:
    """How many queries `run()` sends (the connection's log is emptied first: it keeps at most
    9,000 entries, and a full log would count nothing)."""
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)
