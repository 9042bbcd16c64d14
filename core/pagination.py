"""Pagination for server-rendered lists: `?page=N`, filters kept in the links, a total count.

A view reads the page number with `page_window(request.GET)`, hands `window.offset` and
`window.size` to its selector (which applies every filter, counts, then cuts the page in the
database) and builds the links with `pager(...)`. Templates include
`components/pagination.html` with `pager=...`: previous/next plus a few numbered links, big
enough to tap on a phone, and "1–50 of 1,234".

The API has its own class (`core.api.pagination.ParityPagination`); both cut after filtering.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
LINK_RADIUS = 2  # numbered links either side of the current page


class _QueryParams(Protocol):
    def get(self, key: str, default: Any = ...) -> Any: ...

    def lists(self) -> Any: ...


@dataclass(frozen=True, slots=True)
class PageWindow:
    """Which slice of a filtered list to show: page `number` (1-based) of `size` rows."""

    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


def page_number(raw: object) -> int:
    """`?page=` as a page number; anything that is not a positive whole number is page 1."""
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else 1


def page_bounds(limit: int, offset: int, *, max_size: int = MAX_PAGE_SIZE) -> tuple[int, int]:
    """The (limit, offset) a selector cuts its page with: 1 to `max_size` rows, from row 0 on."""
    return max(1, min(limit, max_size)), max(0, offset)


def page_window(params: Mapping[str, Any] | _QueryParams, *, size: int = DEFAULT_PAGE_SIZE) -> PageWindow:
    return PageWindow(number=page_number(params.get("page", "")), size=size)


@dataclass(frozen=True, slots=True)
class PageLink:
    number: int
    url: str
    current: bool


@dataclass(frozen=True, slots=True)
class Pager:
    """Ready-made links for `components/pagination.html`."""

    total: int
    number: int
    pages: int
    first: int  # 1-based index of the first row shown (0 when none)
    last: int
    previous_url: str
    next_url: str
    links: tuple[PageLink, ...]

    @property
    def summary(self) -> str:
        if not self.total:
            return "0 results"
        return f"{self.first:,}–{self.last:,} of {self.total:,}"

    @property
    def is_paginated(self) -> bool:
        return self.pages > 1


def _kept(params: Mapping[str, Any] | _QueryParams) -> list[tuple[str, str]]:
    """Every query parameter except `page`, repeated keys included, blanks dropped."""
    items = params.lists() if hasattr(params, "lists") else [(k, [v]) for k, v in params.items()]
    return [(key, str(v)) for key, values in items if key != "page" for v in values if str(v) != ""]


def page_url(params: Mapping[str, Any] | _QueryParams, number: int, *, base: str = "") -> str:
    """`base?<filters>&page=N` (page 1 drops the parameter: one URL per page)."""
    query = _kept(params) + ([("page", str(number))] if number > 1 else [])
    return f"{base}?{urlencode(query)}" if query else (base or "?")


def pager(
    *, params: Mapping[str, Any] | _QueryParams, window: PageWindow, total: int, shown: int, base: str = ""
) -> Pager:
    """Links for page `window.number` of a list of `total` rows (`shown` on this page)."""
    pages = max(1, -(-total // window.size))
    number = window.number
    low, high = max(1, number - LINK_RADIUS), min(pages, number + LINK_RADIUS)
    numbers = sorted({1, pages, *range(low, high + 1)})
    return Pager(
        total=total,
        number=number,
        pages=pages,
        first=window.offset + 1 if shown else 0,
        last=window.offset + shown,
        previous_url=page_url(params, number - 1, base=base) if number > 1 else "",
        next_url=page_url(params, number + 1, base=base) if number < pages else "",
        links=tuple(
            PageLink(number=n, url=page_url(params, n, base=base), current=n == number) for n in numbers
        ),
    )
