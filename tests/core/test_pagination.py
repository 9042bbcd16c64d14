"""The shared pagination: page links that keep the filters, and one documented API page shape."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from drf_spectacular.generators import SchemaGenerator

from core.pagination import PageWindow, page_bounds, page_number, pager
from tests.conftest import verified_client

LIST_OPERATIONS = [
    ("/api/patients/", "PaginatedPatientListOutputList"),
    ("/api/schedule/appointments/", "PaginatedAppointmentListOutputList"),
    ("/api/notes/", "PaginatedNoteSummaryList"),
    ("/api/notes/cosign-queue/", "PaginatedNoteCosignQueueOutputList"),
    ("/api/authorizations/", "PaginatedAuthorizationListOutputList"),
    ("/api/charges/", "PaginatedChargeSetSummaryList"),
    ("/api/practice/providers/", "PaginatedProviderListOutputList"),
    ("/api/practice/locations/", "PaginatedLocationListOutputList"),
    ("/api/payers/", "PaginatedPayerListOutputList"),
    ("/api/audit/events/", "PaginatedAuditEventList"),
]


@pytest.mark.parametrize(
    ("_case", "raw", "expected"),
    [("missing", None, 1), ("a number", "3", 3), ("zero", "0", 1), ("negative", "-2", 1), ("text", "x", 1)],
)
def test_page_number(_case, raw, expected):
    assert page_number(raw) == expected


def test_links_keep_every_filter_and_number_a_few_pages_around_the_current_one():
    params = QueryDict("status=final&payer=3&payer=4&page=5&q=")
    links = pager(params=params, window=PageWindow(number=5, size=10), total=95, shown=10, base="/notes/all/")
    assert (links.first, links.last, links.pages, links.summary) == (41, 50, 10, "41–50 of 95")
    assert links.previous_url == "/notes/all/?status=final&payer=3&payer=4&page=4"
    assert links.next_url == "/notes/all/?status=final&payer=3&payer=4&page=6"
    assert [(link.number, link.current) for link in links.links] == [
        (1, False),
        (3, False),
        (4, False),
        (5, True),
        (6, False),
        (7, False),
        (10, False),
    ]
    assert links.links[0].url == "/notes/all/?status=final&payer=3&payer=4"  # page 1: no page parameter


def test_the_last_page_has_no_next_and_an_empty_list_says_so():
    last = pager(params={}, window=PageWindow(number=2, size=50), total=51, shown=1)
    empty = pager(params={}, window=PageWindow(number=1, size=50), total=0, shown=0)
    assert (last.next_url, last.previous_url, last.summary) == ("", "?", "51–51 of 51")
    assert (empty.summary, empty.is_paginated, empty.first) == ("0 results", False, 0)


def test_every_list_api_documents_limit_offset_and_the_page_shape():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, component in LIST_OPERATIONS:
        get = schema["paths"][path]["get"]
        names = {p["name"] for p in get["parameters"]}
        assert {"limit", "offset"} <= names, path
        assert get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(component), (
            path
        )
        shape = schema["components"]["schemas"][component]
        assert {"count", "limit", "offset", "next", "previous", "results"} <= set(shape["required"]), path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("_case", "offset", "expected"),
    [("at the cap", "1000000000", 1_000_000_000), ("past bigint", "99999999999999999999999", 1_000_000_000)],
)
def test_an_offset_past_any_list_is_an_empty_page_not_a_server_error(
    _case, offset, expected, practice, make_member
):
    client = verified_client(make_member("biller", practice))
    response = client.get("/api/patients/", {"offset": offset})
    assert response.status_code == 200
    assert (response.json()["offset"], response.json()["results"]) == (expected, [])


@pytest.mark.parametrize(
    ("limit", "offset", "max_size", "expected"),
    [(50, 100, 200, (50, 100)), (0, -5, 200, (1, 0)), (10_000, 0, 200, (200, 0)), (500, 3, 300, (300, 3))],
)
def test_page_bounds_keep_a_selector_cut_between_one_row_and_the_cap(limit, offset, max_size, expected):
    assert page_bounds(limit, offset, max_size=max_size) == expected
