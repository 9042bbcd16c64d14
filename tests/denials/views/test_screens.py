"""The denial screens: the queue with its filters and days left, constant queries, CSV; the
denial page's actions (D5, D6, R4 as a person sees them); the appeal letter PDF (cover sheet,
codes in our words, the argument, the enclosures, the parity template), audited as an export;
appeal outcomes; analytics (D8) in constant queries; the home tile."""

from __future__ import annotations

import datetime as dt
import subprocess
from typing import Any

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from denials import services
from denials.models import Appeal, Denial
from practice.selectors import practice_today
from tests.denials.world import World
from tests.query_counts import queries_of

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    done = subprocess.run(["/usr/bin/pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())  # lines wrap anywhere


def test_the_queue_lists_nearest_deadline_first_with_days_left(world: World, client_for: Any) -> None:
    later = world.denial(carc="50", era_date=dt.date(2026, 11, 20))
    sooner = world.denial(carc="197", era_date=dt.date(2026, 10, 20))
    response = client_for(world.biller).get(reverse("denials:queue"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.denial_id for r in rows] == [sooner.pk, later.pk]
    assert rows[0].days_left_label.endswith(("left", "overdue", "today"))
    body = response.content.decode()
    assert "Authorization missing for this service" in body
    assert 'class="cards"' in body  # phone width: rows become cards


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=authorization", {"197"}),
        ("code=50", {"50"}),
        ("min_amount=100.00", {"50"}),
        ("max_amount=100.00", {"197"}),
        ("status=all", {"50", "197"}),
    ],
)
def test_queue_filters(world: World, client_for: Any, query: str, expected: set[str]) -> None:
    world.denial(carc="50", cents=20000)
    world.denial(carc="197", cents=5000)
    response = client_for(world.biller).get(f"{reverse('denials:queue')}?{query}")
    assert {r.carc for r in response.context["rows"]} == expected


def test_queue_filter_by_payer_and_provider(world: World, client_for: Any) -> None:
    denial = world.denial(carc="50")
    http = client_for(world.biller)
    assert len(http.get(f"{reverse('denials:queue')}?payer={world.payer.pk}").context["rows"]) == 1
    assert len(http.get(f"{reverse('denials:queue')}?provider={denial.provider_id}").context["rows"]) == 1


def test_the_queue_reads_in_constant_queries(world: World, client_for: Any) -> None:
    http = client_for(world.biller)
    world.denial(carc="50")
    http.get(reverse("denials:queue"))  # the session's first request does its own bookkeeping
    before = queries_of(lambda: http.get(reverse("denials:queue")))
    for carc in ("197", "4", "29", "B7"):
        world.denial(carc=carc)
    assert queries_of(lambda: http.get(reverse("denials:queue"))) == before


def test_queue_csv(world: World, client_for: Any) -> None:
    world.denial(carc="50", cents=12345)
    response = client_for(world.admin).get(reverse("denials:export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("denial,claim,patient")
    assert "CO-50" in lines[1]
    assert "$123.45" in lines[1]


def test_d6_the_page_never_offers_to_move_a_co_amount_to_the_patient(world: World, client_for: Any) -> None:
    co = world.denial(group="CO", carc="96")
    pr = world.denial(group="PR", carc="96")
    http = client_for(world.biller)
    assert (
        'id="action-transfer_to_patient"'
        not in http.get(reverse("denials:detail", args=[co.pk])).content.decode()
    )
    assert (
        'id="action-transfer_to_patient"'
        in http.get(reverse("denials:detail", args=[pr.pk])).content.decode()
    )
    # and posting it anyway is refused, nothing changes
    response = http.post(reverse("denials:act", args=[co.pk, "transfer_to_patient"]), {"reason": "waiver"})
    assert response.status_code == 400
    assert "liability: it is never billed to the patient" in response.content.decode()
    co.refresh_from_db()
    assert co.status == "open"


def test_d5_an_unprocessable_claim_offers_only_correction(world: World, client_for: Any) -> None:
    denial = world.denial(carc="16", remarks=("MA130",))
    page = client_for(world.biller).get(reverse("denials:detail", args=[denial.pk])).content.decode()
    assert 'id="action-correct_and_resubmit"' in page
    assert 'id="action-appeal"' not in page


def test_r4_write_off_is_offered_only_with_the_permission_and_needs_a_reason(
    world: World, client_for: Any
) -> None:
    denial = world.denial(carc="50")
    biller = client_for(world.biller)
    assert 'id="action-write_off"' in biller.get(reverse("denials:detail", args=[denial.pk])).content.decode()
    admin_page = client_for(world.admin).get(reverse("denials:detail", args=[denial.pk])).content.decode()
    assert 'id="action-write_off"' not in admin_page
    assert (
        biller.post(reverse("denials:act", args=[denial.pk, "write_off"]), {"reason": ""}).status_code == 400
    )
    denial.refresh_from_db()
    assert denial.status == "open"


def test_appeal_letter_pdf_then_outcome(world: World, client_for: Any) -> None:
    denial = world.denial(carc="50", cents=20000)
    http = client_for(world.biller)
    response = http.post(reverse("denials:act", args=[denial.pk, "appeal"]), {"note": "With the notes"})
    assert response.status_code == 302
    appeal = Appeal.objects.get(denial=denial)
    pdf = http.get(reverse("denials:appeal_letter", args=[appeal.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert "Request for reconsideration" in text
    assert "CO-50" in text
    assert "Payer judged the service not medically necessary" in text
    assert "medically necessary" in text
    assert "Treatment plan: None on file" in text  # the argument needs it; flagged, not invented
    assert "Parity sends nothing" in text
    assert AuditEvent.objects.filter(action="export", object_type="denial", object_id=str(denial.pk)).exists()
    appeal.refresh_from_db()
    assert appeal.letter_generated_at is not None
    outcome = http.post(
        reverse("denials:appeal_outcome", args=[appeal.pk]),
        {"outcome": "partially_won", "recovered": "80.00", "outcome_on": "2026-12-01"},
    )
    assert outcome.status_code == 302
    appeal.refresh_from_db()
    denial.refresh_from_db()
    assert (appeal.status, appeal.amount_recovered_cents, denial.status) == ("partially_won", 8000, "open")
    listing = http.get(f"{reverse('denials:appeals')}?status=partially_won")
    assert [r.appeal_id for r in listing.context["rows"]] == [appeal.pk]


def test_parity_letter_for_carc_119_on_psychotherapy(world: World, client_for: Any) -> None:
    denial = world.denial(carc="119", code="90834")
    assert denial.parity_candidate
    http = client_for(world.biller)
    assert "MHPAEA" in http.get(reverse("denials:detail", args=[denial.pk])).content.decode()
    appeal = services.denial_appeal(access=world.access(world.biller), denial_id=denial.pk)
    assert appeal.parity
    text = _pdf_text(http.get(reverse("denials:appeal_letter", args=[appeal.pk])).content)
    assert "parity (MHPAEA) review" in text
    assert "comparative analysis" in text
    assert "[Add here" in text


def test_d8_analytics_group_by_payer_code_category_provider_month_without_pr(
    world: World, client_for: Any
) -> None:
    for _ in range(3):
        world.denial(carc="197", cents=10000)
    world.denial(carc="50", cents=5000)
    world.denial(group="PR", carc="96", cents=7000)  # the patient's: not a denial in the report
    today = dt.date(2026, 12, 6)
    http = client_for(world.biller)
    url = f"{reverse('denials:analytics')}?start=2026-06-01&end={today.isoformat()}"
    http.get(url)  # the session's first request does its own bookkeeping
    response = http.get(url)
    data = response.context["a"]
    assert data.total == 4
    assert [(b.key, b.count, b.cents) for b in data.by_code] == [("CO-197", 3, 30000), ("CO-50", 1, 5000)]
    assert [(b.key, b.count) for b in data.by_category] == [("authorization", 3), ("medical_necessity", 1)]
    assert data.by_payer[0].rate == "80.0%"  # 4 denied of 5 adjudicated lines
    assert [(b.key, b.rate) for b in data.by_month] == [("2026-11", "80.0%")]
    assert data.by_provider[0].rate == "80.0%"
    assert "category=authorization" in data.by_category[0].url_query
    before = queries_of(lambda: http.get(url))
    world.denial(carc="4")
    world.denial(carc="B7")
    assert queries_of(lambda: http.get(url)) == before
    csv_lines = (
        http.get(reverse("denials:analytics_export") + "?start=2026-06-01").content.decode().splitlines()
    )
    assert csv_lines[0] == "dimension,key,label,denials,amount,rate"


def test_the_billers_home_shows_denials_due_soon(world: World, client_for: Any) -> None:
    denial = world.denial(carc="50")
    Denial.objects.filter(pk=denial.pk).update(
        appeal_deadline=practice_today(practice_id=world.practice.pk) + dt.timedelta(days=5)
    )
    home = client_for(world.biller).get(reverse("home"))
    tiles = {t.key: t for s in home.context["sections"] for t in s.tiles}
    assert tiles["denials-due"].count == 1
    assert tiles["denials-due"].url == reverse("denials:queue")


def test_assign_and_the_assigned_to_me_filter(world: World, client_for: Any) -> None:
    mine = world.denial(carc="50")
    world.denial(carc="197")
    http = client_for(world.biller)
    response = http.post(reverse("denials:assign", args=[mine.pk]), {"user_id": str(world.biller.pk)})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.assigned_to_id == world.biller.pk
    rows = http.get(f"{reverse('denials:queue')}?mine=on").context["rows"]
    assert [r.denial_id for r in rows] == [mine.pk]
    # only the practice's billers can be assigned
    http.post(reverse("denials:assign", args=[mine.pk]), {"user_id": str(world.clinician.pk)})
    mine.refresh_from_db()
    assert mine.assigned_to_id == world.biller.pk


def test_d3_d8_the_queue_names_repeat_denials_and_enrollment_gaps(world: World, client_for: Any) -> None:
    recent = practice_today(practice_id=world.practice.pk) - dt.timedelta(days=3)
    for _ in range(3):
        world.denial(carc="B7", era_date=recent)
    page = client_for(world.biller).get(reverse("denials:queue")).content.decode()
    assert 'id="denial-patterns"' in page
    assert "Probable enrollment gap: Dana Reyes with Acme Health" in page
    assert "Acme Health denied 3 lines with CO-B7" in page


def test_d2_a_timely_filing_denial_shows_the_277ca_acceptance_in_its_packet(
    world: World, client_for: Any
) -> None:
    from django.utils import timezone  # noqa: PLC0415

    from claims.models import ClaimAcknowledgement  # noqa: PLC0415

    denial = world.denial(carc="29")
    http = client_for(world.biller)
    page = http.get(reverse("denials:detail", args=[denial.pk])).content.decode()
    assert "Proof of timely filing: None on file" in page
    ClaimAcknowledgement.objects.create(
        claim_id=denial.claim_id, source="clearinghouse_277ca", accepted=True, occurred_at=timezone.now()
    )
    page = http.get(reverse("denials:detail", args=[denial.pk])).content.decode()
    assert "Proof of timely filing: Accepted on" in page
    assert "Clearinghouse 277CA" in page
