"""Small helpers shared by every app's API views."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from core.errors import ValidationFailed


def validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:  # type: ignore[type-arg]
    """Validate shape and format; raise ValidationFailed (one error shape) when invalid."""
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise ValidationFailed(field_errors={k: [str(m) for m in v] for k, v in serializer.errors.items()})
    return dict(serializer.validated_data)


def query_param(request: Request, name: str, default: str = "") -> str:
    return str(request.query_params.get(name, default)).strip()


def int_param(request: Request, name: str) -> int | None:
    """`?name=` as a whole number; None when absent or blank, ValidationFailed when not a number."""
    raw = query_param(request, name)
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationFailed(field_errors={name: ["Enter a whole number."]}) from None
