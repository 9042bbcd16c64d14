"""Errors raised by the audit app."""

from __future__ import annotations


class AppendOnlyViolation(Exception):
    """Code tried to change or remove an audit event. The log only ever grows."""
