"""The OpenAPI schema class names nested Input/Output serializers after their view."""

from __future__ import annotations

import pytest
from rest_framework import serializers
from rest_framework.views import APIView

from core.api.schema import ParityAutoSchema


class WidgetCreateApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        name = serializers.CharField()

    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        class PartSerializer(serializers.Serializer):  # type: ignore[type-arg]
            code = serializers.CharField()

        id = serializers.IntegerField()
        parts = PartSerializer(many=True)


class WidgetListApi(APIView):
    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        id = serializers.IntegerField()


class PlainSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()


@pytest.mark.parametrize(
    ("_case", "serializer", "direction", "expected"),
    [
        ("request body", WidgetCreateApi.InputSerializer(), "request", "WidgetCreateInputRequest"),
        ("response body", WidgetCreateApi.OutputSerializer(), "response", "WidgetCreateOutput"),
        (
            "nested two levels",
            WidgetCreateApi.OutputSerializer.PartSerializer(),
            "response",
            "WidgetCreateOutputPart",
        ),
        ("another view's output", WidgetListApi.OutputSerializer(), "response", "WidgetListOutput"),
        ("list of outputs", WidgetListApi.OutputSerializer(many=True), "response", "WidgetListOutput"),
        ("top-level serializer", PlainSerializer(), "response", "Plain"),
    ],
)
def test_component_names_are_unique_per_view(_case: str, serializer, direction: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    # when
    name = ParityAutoSchema()._get_serializer_name(serializer, direction)

    # then
    assert name == expected


def test_the_api_uses_the_parity_schema_class(settings) -> None:  # type: ignore[no-untyped-def]
    # then
    assert settings.REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] == "core.api.schema.ParityAutoSchema"
