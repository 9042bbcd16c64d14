"""One pagination for every list API: `?limit=&offset=`, filters applied before the cut.

The response is `{"count", "limit", "offset", "next", "previous", "results"}`: `count` is the
number of rows matching the filters, `next`/`previous` are full URLs (filters kept) or null.
`limit` defaults to 50 and is capped at 200. It is the default pagination class in
`REST_FRAMEWORK` (billing/settings/api.py); drf-spectacular documents the parameters and the
shape for every list view that sets `pagination_class` (`PaginatedListApi` does).

Our selectors count and cut in the database themselves (they also write the audit event with
the counts), so a list view asks for the window first and hands the selector's total back:

    window = self.page_window(request)
    page = selectors.thing_list(access=..., filters=..., offset=window.offset, limit=window.limit)
    return self.page_response(count=page.total, results=Output(page.rows, many=True).data)

A queryset can also go through DRF's usual `paginate_queryset`/`get_paginated_response`.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, ClassVar

from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# No list is this long; a larger offset (up to any integer a client sends) reads as this one, an
# empty page, instead of overflowing the database's bigint.
MAX_OFFSET = 1_000_000_000


@dataclass(frozen=True, slots=True)
class ApiWindow:
    offset: int
    limit: int


class ParityPagination(LimitOffsetPagination):
    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT
    # Fields a list sends beside the page (`respond(extra=...)`), as OpenAPI properties.
    extra_properties: ClassVar[dict[str, dict[str, Any]]] = {}

    def window(self, request: Request) -> ApiWindow:
        """Read `limit`/`offset` (bad values fall back to the defaults; limit capped)."""
        self.request = request
        self.limit = self.get_limit(request) or DEFAULT_LIMIT
        self.offset = min(self.get_offset(request), MAX_OFFSET)
        return ApiWindow(offset=self.offset, limit=self.limit)

    def respond(self, *, count: int, results: Any, extra: dict[str, Any] | None = None) -> Response:
        """The page response for `results` (the serialized page, already cut) out of `count`
        matching rows."""
        self.count = count
        response = self.get_paginated_response(list(results))
        if extra:
            response.data.update(extra)
        return response

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            OrderedDict(
                [
                    ("count", self.count),
                    ("limit", self.limit),
                    ("offset", self.offset),
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        shape = super().get_paginated_response_schema(schema)
        properties = shape["properties"]
        properties["limit"] = {"type": "integer", "example": DEFAULT_LIMIT}
        properties["offset"] = {"type": "integer", "example": 0}
        order = ["count", "limit", "offset", "next", "previous", "results"]
        shape["properties"] = {key: properties[key] for key in order} | self.extra_properties
        shape["required"] = [*order, *self.extra_properties]
        return shape


def with_extra_fields(**properties: dict[str, Any]) -> type[ParityPagination]:
    """The pagination of a list that sends more than the page, e.g. counts over all rows."""
    return type("ParityPaginationWithExtra", (ParityPagination,), {"extra_properties": properties})


class PaginatedListApi(APIView):
    """Base for list endpoints: the schema shows limit/offset and the page shape."""

    pagination_class: type[ParityPagination] = ParityPagination

    def page_window(self, request: Request) -> ApiWindow:
        self._paginator = self.pagination_class()
        return self._paginator.window(request)

    def page_response(self, *, count: int, results: Any, extra: dict[str, Any] | None = None) -> Response:
        return self._paginator.respond(count=count, results=results, extra=extra)
