"""One error shape for the whole API: {"message": str, "code": str, "extra": {...}}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import ApplicationError


def _shape(message: str, code: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"message": message, "code": code, "extra": extra or {}}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response(_shape(exc.message, exc.code, exc.extra), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"__all__": exc.detail}
        response.data = _shape("The data is not valid.", "validation_failed", {"fields": detail})
    elif isinstance(exc, exceptions.APIException):
        code = exc.get_codes()
        response.data = _shape(str(exc.detail), code if isinstance(code, str) else "error", {})
    if response.status_code == status.HTTP_404_NOT_FOUND:
        response.data["code"] = "not_found"
    return response
