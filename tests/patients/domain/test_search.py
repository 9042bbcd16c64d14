import datetime as dt

import pytest

from patients.domain.search import NameQuery, parse_name_query, parse_search_date, search_date_problems


@pytest.mark.parametrize(
    ("_case", "text", "parsed"),
    [
        ("iso", "1984-03-07", dt.date(1984, 3, 7)),
        ("us", "03/07/1984", dt.date(1984, 3, 7)),
        ("us without zero padding", "3/7/1984", dt.date(1984, 3, 7)),
        ("spaces around", " 1984-03-07 ", dt.date(1984, 3, 7)),
        ("two-digit year", "03/07/84", None),
        ("impossible day", "1984-02-30", None),
        ("a name", "Quill", None),
    ],
)
def test_parse_search_date(_case, text, parsed):
    assert parse_search_date(text) == parsed


def test_search_date_problems():
    assert search_date_problems("") == []
    assert search_date_problems("1984-03-07") == []
    assert [p.message for p in search_date_problems("7 March")] == [
        "Enter the date as YYYY-MM-DD or MM/DD/YYYY."
    ]


@pytest.mark.parametrize(
    ("_case", "text", "query"),
    [
        ("one word", "quill", NameQuery(terms=("quill",))),
        ("first last", "Avery  Quill", NameQuery(terms=("Avery", "Quill"))),
        ("last, first", "Quill, Avery", NameQuery(last="Quill", first="Avery")),
        ("last, first middle", "Quill, Avery Jo", NameQuery(last="Quill", first="Avery")),
        ("last, only", "Quill,", NameQuery(last="Quill")),
        ("blank", "  ", NameQuery()),
    ],
)
def test_parse_name_query(_case, text, query):
    assert parse_name_query(text) == query
