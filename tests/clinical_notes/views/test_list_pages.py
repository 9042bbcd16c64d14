"""The note lists at length: filters apply before the page is cut, links keep the filters, and
the number of queries does not grow with the rows (pages and API)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories.clinical import SessionNoteFactory
from tests.query_counts import queries_of

pytestmark = pytest.mark.django_db

ALL = reverse("clinical_notes:list")
QUEUE = reverse("clinical_notes:cosign_queue")


def notes(clinic, count, *, status, first_day, **kwargs):
    """`count` notes of the tech, one a day from `first_day` backwards (newest first)."""
    signed = {"signed_at": dt.datetime(2026, 3, 1, 15, tzinfo=dt.UTC)} if status != "draft" else {}
    final = {"finalized_at": dt.datetime(2026, 3, 1, 16, tzinfo=dt.UTC)} if status == "final" else {}
    return [
        SessionNoteFactory(
            practice=clinic.practice,
            patient=clinic.patient,
            author=clinic.tech,
            status=status,
            date_of_service=first_day - dt.timedelta(days=i),
            **signed,
            **final,
            **kwargs,
        )
        for i in range(count)
    ]


def awaiting(clinic, count):
    """`count` notes waiting for the supervisor, signed a day apart (the first the oldest)."""
    return [
        SessionNoteFactory(
            practice=clinic.practice,
            patient=clinic.patient,
            author=clinic.tech,
            status="awaiting_cosign",
            requires_cosign=True,
            supervisor=clinic.supervisor,
            date_of_service=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            signed_at=dt.datetime(2026, 1, 1, 18, tzinfo=dt.UTC) + dt.timedelta(days=i),
        )
        for i in range(count)
    ]


def test_all_notes_filtered_by_status_finds_the_rows_on_the_second_page(clinic, client_for):
    # given: 55 drafts newer than any final note, then 52 final notes
    notes(clinic, 55, status="draft", first_day=dt.date(2026, 3, 9))
    finals = notes(clinic, 52, status="final", first_day=dt.date(2025, 12, 31))
    client = client_for(clinic.tech_user)
    # when
    first = client.get(ALL, {"status": "final"})
    second = client.get(ALL, {"status": "final", "page": 2})
    # then: only final notes, the two oldest on page 2, and the links keep the filter
    assert [r.note_id for r in first.context["page"].rows] == [n.pk for n in finals[:50]]
    assert [r.note_id for r in second.context["page"].rows] == [finals[50].pk, finals[51].pk]
    pager = first.context["page"].pager
    assert (pager.total, pager.pages, pager.next_url) == (52, 2, f"{ALL}?status=final&page=2")
    assert second.context["page"].pager.previous_url == f"{ALL}?status=final"
    assert second.context["page"].range_label == "51–52 of 52"
    assert 'href="/notes/all/?status=final&amp;page=2" rel="next"' in first.content.decode()


def test_all_notes_runs_the_same_queries_for_3_or_60_rows(clinic, client_for):
    # given
    notes(clinic, 3, status="final", first_day=dt.date(2026, 3, 9))
    client = client_for(clinic.tech_user)
    client.get(ALL)
    few = queries_of(lambda: client.get(ALL))
    # when
    notes(clinic, 60, status="final", first_day=dt.date(2026, 2, 1))
    # then
    assert queries_of(lambda: client.get(ALL)) == few <= QUERIES_ALL
    assert len(client.get(ALL).context["page"].rows) == 50


QUERIES_ALL = 16


def test_the_cosign_queue_second_page_holds_the_newest_and_counts_cover_the_whole_queue(clinic, client_for):
    # given: 23 notes waiting (the oldest first); all of them more than 3 days old
    waiting = awaiting(clinic, 23)
    client = client_for(clinic.supervisor_user)
    # when
    second = client.get(QUEUE, {"page": 2})
    # then
    page = second.context["page"]
    assert [r.note_id for r in page.rows] == [n.pk for n in waiting[20:]]
    assert (page.pager.total, page.pager.pages, page.overdue_count) == (23, 2, 23)
    assert page.next_url == f"{QUEUE}?page=2"  # co-sign and return come back to this page
    assert page.pager.previous_url == QUEUE


def test_the_cosign_queue_runs_the_same_queries_for_2_or_45_waiting(clinic, client_for):
    # given
    awaiting(clinic, 2)
    client = client_for(clinic.supervisor_user)
    client.get(QUEUE)
    few = queries_of(lambda: client.get(QUEUE))
    # when
    awaiting(clinic, 43)
    # then
    assert queries_of(lambda: client.get(QUEUE)) == few <= 22
    assert len(client.get(QUEUE).context["page"].rows) == 20


def test_the_notes_api_pages_after_filtering(clinic, client_for):
    # given
    notes(clinic, 30, status="draft", first_day=dt.date(2026, 3, 9))
    finals = notes(clinic, 7, status="final", first_day=dt.date(2025, 12, 31))
    client = client_for(clinic.tech_user)
    # when
    body = client.get("/api/notes/", {"status": "final", "limit": 5, "offset": 5}).json()
    # then
    assert [r["id"] for r in body["results"]] == [finals[5].pk, finals[6].pk]
    assert (body["count"], body["limit"], body["offset"], body["next"]) == (7, 5, 5, None)
    assert body["previous"].endswith("/api/notes/?limit=5&status=final")


def test_the_notes_api_runs_the_same_queries_for_3_or_60_rows(
    clinic, client_for, django_assert_max_num_queries
):
    notes(clinic, 3, status="final", first_day=dt.date(2026, 3, 9))
    client = client_for(clinic.tech_user)
    client.get("/api/notes/")
    with django_assert_max_num_queries(20) as few:
        client.get("/api/notes/")
    notes(clinic, 60, status="final", first_day=dt.date(2026, 2, 1))
    with django_assert_max_num_queries(len(few)):
        assert len(client.get("/api/notes/").json()["results"]) == 50


def test_the_cosign_queue_api_pages_and_counts_the_whole_queue(clinic, client_for):
    # given
    waiting = awaiting(clinic, 6)
    client = client_for(clinic.supervisor_user)
    # when
    body = client.get("/api/notes/cosign-queue/", {"limit": 4, "offset": 4}).json()
    # then
    assert [r["note_id"] for r in body["results"]] == [waiting[4].pk, waiting[5].pk]
    assert (body["count"], body["overdue_count"], body["overdue_days"]) == (6, 6, 3)


@pytest.mark.parametrize("name", ["my_day", "to_write", "returned", "list"])
def test_the_notes_tabs_offer_the_cosign_queue_only_to_who_may_cosign(clinic, client_for, name):
    """A technician's tabs had a "Co-sign queue" link that answered 403 (UI review)."""
    url = reverse(f"clinical_notes:{name}")
    tech_tabs = client_for(clinic.tech_user).get(url).context["page"].tabs
    supervisor_tabs = client_for(clinic.supervisor_user).get(url).context["page"].tabs
    assert QUEUE not in [tab.url for tab in tech_tabs]
    assert QUEUE in [tab.url for tab in supervisor_tabs]
    assert client_for(clinic.tech_user).get(QUEUE).status_code == 403
