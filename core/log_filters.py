"""Logging filters that keep PHI out of logs."""

from __future__ import annotations

import logging
import re

_QUERY = re.compile(r"\?[^ \"]*")


def without_query_string(text: str) -> str:
    """'GET /patients/?s=abc HTTP/1.1' -> 'GET /patients/ HTTP/1.1' (query strings may carry PHI)."""
    return _QUERY.sub("", text)


class DropQueryStrings(logging.Filter):
    """For the development server's access log (`django.server`): paths only, never query strings."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            record.args = (without_query_string(record.args[0]), *record.args[1:])
        return True
