"""The OpenAPI schema class: component names that survive our nested Input/Output serializers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import Direction, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Every error answer (core.api.exception_handler): one shape."""

    message = serializers.CharField()
    code = serializers.CharField(
        help_text="A stable code, e.g. validation_failed, permission_denied, not_found"
    )
    extra = serializers.DictField(help_text='Details; {"fields": {name: [messages]}} for validation errors')


# The error answers every operation may give (permission is checked first, then the input, then
# the row's existence in the caller's practice).
ERROR_RESPONSES: dict[str, str] = {
    "400": "The input is not valid (validation_failed, with the fields) or breaks a rule.",
    "403": "Not signed in, two-factor verification missing, or the role may not do this.",
    "404": "No such row in the current practice.",
}


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

    def _get_response_bodies(self, direction: Direction = "response") -> dict[str, Any]:
        """The operation's own answers, plus the error answers in the one error shape."""
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, description in ERROR_RESPONSES.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=ErrorSerializer, description=description),
                    code,
                    direction=direction,
                )
        return responses

    def _resolve_path_parameters(self, variables: list[str]) -> list[dict[str, Any]]:
        """Ids in our paths are `<int:...>`: digits only, so never negative (else Django's 404)."""
        parameters: list[dict[str, Any]] = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if schema.get("type") == "integer":
                schema["minimum"] = 0
        return parameters
