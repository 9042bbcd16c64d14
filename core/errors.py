"""Application errors: a stable code, a plain message, and extra detail for the client.

The API's exception handler turns every one of these into `{"message", "code", "extra"}`;
dashboard views show the message (and field errors) on the form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class ApplicationError(Exception):
    code = "application_error"
    status_code = 400

    def __init__(self, message: str, *, code: str | None = None, extra: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.extra = dict(extra or {})


class ValidationFailed(ApplicationError):
    """Input broke a business rule. `field_errors` maps a field path to its messages."""

    code = "validation_failed"

    def __init__(
        self,
        message: str = "The data is not valid.",
        *,
        field_errors: Mapping[str, Sequence[str]] | None = None,
        code: str | None = None,
    ):
        errors = {k: list(v) for k, v in (field_errors or {}).items()}
        super().__init__(message, code=code, extra={"fields": errors})
        self.field_errors = errors


class NotFound(ApplicationError):
    """Missing, or belongs to another practice: the two are indistinguishable on purpose."""

    code = "not_found"
    status_code = 404

    def __init__(self, message: str = "Not found."):
        super().__init__(message)


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status_code = 403

    def __init__(self, message: str = "You do not have permission to do this."):
        super().__init__(message)


class Conflict(ApplicationError):
    code = "conflict"
    status_code = 409
