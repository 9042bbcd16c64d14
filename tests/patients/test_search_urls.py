"""Patient searches keep PHI out of URLs: POST, then a short-lived server-side search token."""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine

from core.log_filters import DropQueryStrings, without_query_string
from tests.factories import CoverageFactory, PatientFactory, PayerFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def biller_client(practice, make_member, client_for):
    return client_for(make_member("biller", practice))


@pytest.fixture
def quill(practice):
    patient = PatientFactory(
        practice=practice, first_name="Avery", last_name="Quill", date_of_birth=dt.date(1990, 4, 12)
    )
    CoverageFactory(patient=patient, payer=PayerFactory(practice=practice), member_id="XQM777001")
    PatientFactory(practice=practice, first_name="Blake", last_name="Stone")
    return patient


@pytest.mark.parametrize(
    ("_case", "criteria", "phi"),
    [
        ("name", {"q": "Quill"}, "Quill"),
        ("date of birth", {"dob": "1990-04-12"}, "1990"),
        ("member id", {"member_id": "XQM777001"}, "XQM777001"),
    ],
)
def test_search_redirects_to_a_token_and_shows_the_results(_case, criteria, phi, biller_client, quill):
    # when
    posted = biller_client.post("/patients/", criteria)
    # then: the URL carries only an opaque token
    assert posted.status_code == 302
    query = parse_qs(urlparse(posted.url).query)
    assert list(query) == ["s"]
    assert phi not in posted.url
    results = biller_client.get(posted.url)
    assert [row.name for row in results.context["rows"]] == ["Quill, Avery"]


def test_a_token_works_only_in_its_own_session(biller_client, quill, practice, make_member, client_for):
    url = biller_client.post("/patients/", {"q": "Quill"}).url
    other = client_for(make_member("biller", practice))
    response = other.get(url)
    assert response.status_code == 302
    assert response.url == "/patients/"


@pytest.mark.parametrize(
    ("_case", "later", "kept"), [("14:59 later", 899, True), ("15:00 later", 900, False)]
)
def test_a_search_token_lasts_fifteen_minutes(_case, later, kept, biller_client, quill):
    with time_machine.travel(T0, tick=False):
        url = biller_client.post("/patients/", {"q": "Quill"}).url
    with time_machine.travel(T0 + dt.timedelta(seconds=later), tick=False):
        response = biller_client.get(url)
    assert (response.status_code == 200) is kept


def test_names_in_the_query_string_are_not_searched(biller_client, quill):
    # an old bookmark or a hand-typed URL: nothing is filtered by PHI taken from the URL
    response = biller_client.get("/patients/", {"q": "Quill"})
    assert len(response.context["rows"]) == 2


def test_a_page_of_results_keeps_the_token_in_its_links(biller_client, practice):
    for n in range(60):
        PatientFactory(practice=practice, last_name=f"Quillon{n:02d}")
    url = biller_client.post("/patients/", {"q": "Quillon"}).url
    token = parse_qs(urlparse(url).query)["s"][0]
    html = biller_client.get(url).content.decode()
    assert f"s={token}" in html
    assert "Quillon" not in "".join(part for part in html.split('href="')[1:] if part.startswith("?"))


def test_the_development_server_access_log_drops_query_strings():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /patients/?q=Quill HTTP/1.1", "200", "512"),
        None,
    )
    assert DropQueryStrings().filter(record) is True
    assert record.getMessage() == '"GET /patients/ HTTP/1.1" 200 512'
    assert (
        without_query_string("GET /api/patients/?dob=1990-04-12&q=a HTTP/1.1")
        == "GET /api/patients/ HTTP/1.1"
    )
