"""The list endpoints of the charges and the claims: one page, plus the count of matches in each
state (over the other filters) beside it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import PracticeAccess, request_access
from core.api.pagination import PaginatedListApi, with_extra_fields


class CountedPage(Protocol):
    @property
    def rows(self) -> list[Any]: ...

    @property
    def total(self) -> int: ...

    @property
    def counts_by_status(self) -> dict[str, int]: ...


class StatusCountedListApi(PaginatedListApi):
    pagination_class = with_extra_fields(
        counts_by_status={"type": "object", "additionalProperties": {"type": "integer"}}
    )

    def counted_page_response(
        self,
        request: Request,
        *,
        read: Callable[..., CountedPage],
        filters: Any,
        serializer: type[serializers.Serializer],  # type: ignore[type-arg]
    ) -> Response:
        """`read(access=, filters=, limit=, offset=)` (a list selector) for this request's window,
        serialized with `serializer`."""
        window = self.page_window(request)
        access: PracticeAccess = request_access(request)
        page = read(access=access, filters=filters, limit=window.limit, offset=window.offset)
        return self.page_response(
            count=page.total,
            results=serializer(page.rows, many=True).data,
            extra={"counts_by_status": page.counts_by_status},
        )
