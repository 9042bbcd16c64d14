"""The OpenAPI schema class: component names that survive our nested Input/Output serializers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import Direction
from rest_framework import serializers


class ParityAutoSchema(AutoSchema):
    """Name nested serializers after the view that holds them.

    Every APIView nests `InputSerializer`/`OutputSerializer` (STYLE.md §5). drf-spectacular names
    components by class name, so they would all collide as "Input"/"Output" (warning W001, and a
    wrong schema). Here `PatientCreateApi.InputSerializer` becomes `PatientCreateInput` (plus
    drf-spectacular's `Request` suffix for request bodies), and a serializer nested deeper keeps
    each level: `AuditVerificationLatestApi.OutputSerializer.FindingSerializer` becomes
    `AuditVerificationLatestOutputFinding`. A top-level serializer keeps its own name.
    """

    def get_serializer_name(self, serializer: serializers.Serializer[Any], direction: Direction) -> str:
        parts = [part for part in type(serializer).__qualname__.split(".") if part != "<locals>"]
        if len(parts) == 1:
            return parts[0]
        return "".join(part.removesuffix("Serializer").removesuffix("Api") for part in parts)
