"""The claim screens: the list (counts per state, filters, pagination, CSV, constant queries), one
claim (header, deadline, lines, the 837P preview, acknowledgements, ERA lines, history, the
CMS-1500 PDF, audited), batches (submit, progress JSON) and the rejection queue (resubmit)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
from types import SimpleNamespace

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from claims import claim_actions
from claims.models import ClaimAdjudication, ClaimLineAdjudication
from tests.claims.claim_screens.conftest import DOS
from tests.conftest import verified_client
from tests.factories import CoverageFactory, PatientFactory, PracticeFactory
from tests.query_counts import queries_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def biller(world):
    return verified_client(world.clinic.biller_user)


def _events(action, object_type="claim"):
    return list(AuditEvent.objects.filter(action=action, object_type=object_type).order_by("seq"))


# ---- the list -----------------------------------------------------------------------------------


def test_list_counts_per_state_and_rows(world, biller):
    world.make_claim(status="ready")
    world.make_claim(status="ready")
    rejected = world.make_claim(status="rejected")
    response = biller.get("/claims/")
    assert response.status_code == 200
    page = response.context["page"]
    counts = {c.status: c.count for c in page.counts}
    assert counts["ready"] == 2
    assert counts["rejected"] == 1
    assert counts["paid"] == 0
    assert page.total == 3
    assert page.total_amount == "$450.00"
    row = next(r for r in page.rows if r.claim_id == rejected.pk)
    assert (row.status_label, row.status_css, row.total, row.age_days) == ("Rejected", "bad", "$150.00", 8)
    body = response.content.decode()
    assert rejected.patient_control_number in body
    assert 'id="claim-count-rejected"' in body
    # one list event naming the patients shown
    assert _events("list")[-1].detail.startswith("results=3;total=3")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "rejected"}, {"rejected"}),
        ({"payer": "OTHER"}, {"other-payer"}),
        ({"age": "0-30"}, {"ready", "rejected", "other-payer"}),
        ({"age": "31-60"}, {"old"}),
        ({"min_amount": "200"}, {"big"}),
        ({"max_amount": "100"}, {"small"}),
        ({"min_amount": "100", "max_amount": "160"}, {"ready", "rejected", "other-payer", "old"}),
    ],
)
def test_list_filters(world, biller, query, expected):
    claims = {
        "ready": world.make_claim(status="ready"),
        "rejected": world.make_claim(status="rejected"),
        "other-payer": world.make_claim(
            coverage=CoverageFactory(patient=world.clinic.patient, payer=world.other_payer, priority=2)
        ),
        "old": world.make_claim(dos=DOS - dt.timedelta(days=40)),
        "big": world.make_claim(dos=DOS - dt.timedelta(days=200), cents=25000),
        "small": world.make_claim(dos=DOS - dt.timedelta(days=200), cents=5000),
    }
    if query.get("payer") == "OTHER":
        query = {"payer": str(world.other_payer.pk)}
    response = biller.get("/claims/", query)
    assert response.status_code == 200
    shown = {r.claim_id for r in response.context["page"].rows}
    assert shown == {claims[name].pk for name in expected}


def test_list_counts_ignore_the_status_filter_and_bad_filters_say_so(world, biller):
    world.make_claim(status="ready")
    world.make_claim(status="rejected")
    page = biller.get("/claims/", {"status": "rejected"}).context["page"]
    assert [r.status for r in page.rows] == ["rejected"]
    assert {c.status: c.count for c in page.counts}["ready"] == 1
    response = biller.get("/claims/", {"min_amount": "300", "max_amount": "100"})
    assert response.status_code == 400
    assert "The maximum cannot be below the minimum." in response.content.decode()


def test_list_paginates(world, biller):
    for _ in range(53):
        world.make_claim()
    first = biller.get("/claims/").context["page"]
    second = biller.get("/claims/", {"page": 2}).context["page"]
    assert (len(first.rows), len(second.rows), first.total) == (50, 3, 53)
    assert not {r.claim_id for r in first.rows} & {r.claim_id for r in second.rows}


def test_list_queries_do_not_grow_with_the_claims(world, biller):
    for _ in range(3):
        world.make_claim()
    biller.get("/claims/")  # the session and caches warmed once
    few = queries_of(lambda: biller.get("/claims/"))
    for _ in range(30):
        world.make_claim(status="rejected")
    many = queries_of(lambda: biller.get("/claims/"))
    assert few == many


def test_csv_export_follows_the_filters_and_is_audited(world, biller):
    world.make_claim(status="ready")
    rejected = world.make_claim(status="rejected")
    response = biller.get("/claims/export.csv", {"status": "rejected"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Claim ID", "Patient control number", "Version"]
    assert [r[1] for r in rows[1:]] == [rejected.patient_control_number]
    assert rows[1][9] == "Rejected"
    assert rows[1][8] == "150.00"
    event = _events("export")[-1]
    assert event.detail.startswith("format=csv;rows=1")


def test_csv_cells_never_start_a_formula():
    from claims.claim_view_models import csv_cell

    assert [csv_cell(v) for v in ("=HYPERLINK(1)", "+1", "-2", "@x", "Quill, Ann", "")] == [
        "'=HYPERLINK(1)", "'+1", "'-2", "'@x", "Quill, Ann", "",
    ]  # fmt: skip


# ---- one claim ----------------------------------------------------------------------------------


def test_detail_shows_header_lines_preview_acknowledgements_era_and_history(world, biller):
    claim = world.make_claim(status="rejected", lines=2, payer_claim_number="")
    world.reject(claim)
    adjudication = ClaimAdjudication.objects.create(
        claim=claim, era_reference="TRACE1", claim_status_code="1", charge_cents=30000, paid_cents=20000,
        patient_responsibility_cents=3000, adjudicated_on=dt.date(2026, 3, 8), recorded_at=timezone.now(),
    )  # fmt: skip
    ClaimLineAdjudication.objects.create(
        adjudication=adjudication, claim_line=claim.lines.get(line_number=1), code="90837", charge_cents=15000,
        paid_cents=10000, allowed_cents=13000, adjustments=[{"group": "CO", "reason": "45", "cents": 2000}],
        remarks=["N130"],
    )  # fmt: skip
    response = biller.get(f"/claims/{claim.pk}/")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.pcn == claim.patient_control_number
    assert page.status_label == "Rejected"
    # deadline: DOS + 90 days = 31 May 2026; 82 days left on 10 Mar 2026
    assert page.deadline == "Sun 31 May 2026 (82 days left)"
    assert [line.number for line in page.lines] == [1, 2]
    assert page.preview.problem == ""
    segments = page.preview.segments
    assert segments[0].startswith("HL*1**20*1")
    assert any(s.startswith(f"CLM*{claim.patient_control_number}*300*") for s in segments)
    assert sum(1 for s in segments if s.startswith("SV1*")) == 2
    assert any(s.startswith("REF*6R*") for s in segments)
    assert [a.message for a in page.acknowledgements] == [
        "The member ID is not on file: check the insurance card."
    ]
    assert page.adjudications[0].paid == "$200.00"
    assert page.adjudications[0].lines[0].adjustments == "CO-45 $20.00"
    assert page.events[0].what == "Draft → Rejected"
    body = response.content.decode()
    assert "CMS-1500 (PDF)" in body
    assert "claim-resubmit" in body  # a biller may resubmit a rejected claim
    view = _events("view")[-1]
    assert (view.object_id, view.patient_id) == (str(claim.pk), claim.patient_id)


def test_detail_names_what_the_837_is_missing(world, biller):
    practice = world.clinic.practice
    practice.postal_code = "62701"
    practice.save(update_fields=["postal_code"])
    claim = world.make_claim()
    page = biller.get(f"/claims/{claim.pk}/").context["page"]
    assert page.preview.segments == ()
    assert page.preview.problem == "billing_provider.address.postal_code: is the 9-digit ZIP+4"
    # the paper form is refused with the same words, never printed half-filled
    response = biller.get(f"/claims/{claim.pk}/cms1500.pdf", follow=True)
    assert response.redirect_chain == [(f"/claims/{claim.pk}/", 302)]
    assert (
        "The CMS-1500 cannot be printed yet: billing_provider.address.postal_code"
        in response.content.decode()
    )


def test_another_practices_claim_is_not_found(world, biller):
    other_practice = PracticeFactory()
    other = world.make_claim(coverage=CoverageFactory(patient=PatientFactory(practice=other_practice)))
    assert other.practice_id == other_practice.pk
    assert biller.get(f"/claims/{other.pk}/").status_code == 404
    assert biller.get(f"/claims/{other.pk}/cms1500.pdf").status_code == 404
    assert _events("view")[-1].outcome == "denied"


def test_cms1500_pdf_is_the_claim_and_an_audited_export(world, biller):
    claim = world.make_claim(lines=2)
    response = biller.get(f"/claims/{claim.pk}/cms1500.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert claim.patient_control_number in text
    assert "ACM123456" in text
    assert "300.00" in text
    event = _events("export")[-1]
    assert (event.object_id, event.patient_id) == (str(claim.pk), claim.patient_id)
    assert "format=cms1500_pdf" in event.detail


def test_practice_admin_reads_but_cannot_act_and_clinical_roles_get_403(world):
    claim = world.make_claim(status="rejected")
    admin = verified_client(world.clinic.admin_user)
    assert admin.get(f"/claims/{claim.pk}/").status_code == 200
    assert "claim-resubmit" not in admin.get(f"/claims/{claim.pk}/").content.decode()
    assert admin.post(f"/claims/{claim.pk}/resubmit/").status_code == 403
    assert admin.post("/claims/batches/submit/", {"claim_ids": [claim.pk]}).status_code == 403
    for user in (world.clinic.tech_user, world.clinic.supervisor_user, world.clinic.compliance_user):
        client = verified_client(user)
        assert client.get("/claims/").status_code == 403
        assert client.get(f"/claims/{claim.pk}/").status_code == 403
        assert client.get("/claims/batches/").status_code == 403


# ---- batches ------------------------------------------------------------------------------------


class _FakeBatchService:
    """Stands in for claims.services.batches.claim_batch_create where that service is not on the
    branch: records the call and answers a batch-like object."""

    def __init__(self):
        self.calls = []

    def __call__(self, practice_id, claim_ids, *, actor):
        self.calls.append((practice_id, sorted(claim_ids), actor.user_id))
        return SimpleNamespace(pk=4242)


def test_batch_screen_lists_ready_claims_and_submits_the_ticked_ones(world, biller, monkeypatch):
    ready = [world.make_claim(status="ready") for _ in range(3)]
    world.make_claim(status="rejected")
    response = biller.get("/claims/batches/")
    assert [r.claim_id for r in response.context["ready"]] == [c.pk for c in ready]
    assert 'id="submit-batch"' in response.content.decode()
    fake = _FakeBatchService()
    monkeypatch.setattr(claim_actions, "_service", lambda path: fake)
    response = biller.post("/claims/batches/submit/", {"claim_ids": [ready[0].pk, ready[2].pk]})
    assert response.status_code == 302
    assert response["Location"] == "/claims/batches/#batch-4242"
    assert fake.calls == [(world.clinic.practice.pk, [ready[0].pk, ready[2].pk], world.clinic.biller_user.pk)]


def test_batch_submit_refuses_claims_that_are_not_ready(world, biller, monkeypatch):
    rejected = world.make_claim(status="rejected")
    fake = _FakeBatchService()
    monkeypatch.setattr(claim_actions, "_service", lambda path: fake)
    response = biller.post("/claims/batches/submit/", {"claim_ids": [rejected.pk]})
    assert response.status_code == 400
    assert "no longer ready" in response.content.decode()
    assert fake.calls == []
    assert biller.post("/claims/batches/submit/", {}).status_code == 400


def test_batch_progress_counts_sent_accepted_and_rejected(world, biller):
    from claims.models import ClaimBatch, ClaimBatchItem

    batch = ClaimBatch.objects.create(practice=world.clinic.practice, status="sending", claim_count=3)
    for status in ("submitted", "accepted_clearinghouse", "rejected"):
        ClaimBatchItem.objects.create(batch=batch, claim=world.make_claim(status=status))
    other = ClaimBatch.objects.create(practice=PracticeFactory(), status="queued")
    data = biller.get("/claims/batches/progress/", {"ids": f"{batch.pk},{other.pk}"}).json()
    assert data == {
        "batches": [
            {"id": batch.pk, "status": "sending", "status_label": "Sending", "total": 3, "sent": 3,
             "accepted": 1, "rejected": 1, "done": False}
        ]
    }  # fmt: skip
    page = biller.get("/claims/batches/")
    body = page.content.decode()
    assert f'id="batch-progress-{batch.pk}" max="3" value="3"' in body
    assert "js/claim_batches.js" in body


# ---- rejections ---------------------------------------------------------------------------------


def test_rejection_queue_shows_the_reason_in_words(world, biller):
    claim = world.make_claim(status="rejected")
    world.reject(claim, "The payer does not know this member ID: check the card and the coverage.")
    world.make_claim(status="ready")
    response = biller.get("/claims/rejections/")
    rows = response.context["rows"]
    assert [(r.claim_id, r.reason, r.codes) for r in rows] == [
        (claim.pk, "The payer does not know this member ID: check the card and the coverage.", "A7/33")
    ]
    assert f'id="resubmit-{claim.pk}"' in response.content.decode()


def test_resubmit_calls_the_service_and_says_what_became_of_the_claim(world, biller, monkeypatch):
    claim = world.make_claim(status="rejected")
    calls = []

    def fake_resubmit(*, claim_id, actor):
        calls.append((claim_id, actor.user_id))
        return SimpleNamespace(pk=claim_id, status="ready")

    monkeypatch.setattr(claim_actions, "_service", lambda path: fake_resubmit)
    response = biller.post(f"/claims/{claim.pk}/resubmit/", follow=True)
    assert response.redirect_chain == [(f"/claims/{claim.pk}/", 302)]
    assert "the claim is ready for the next batch" in response.content.decode()
    assert calls == [(claim.pk, world.clinic.biller_user.pk)]
    other = world.make_claim(coverage=CoverageFactory(patient=PatientFactory(practice=PracticeFactory())))
    assert biller.post(f"/claims/{other.pk}/resubmit/").status_code == 404
    assert calls == [(claim.pk, world.clinic.biller_user.pk)]


def test_detail_queries_do_not_grow_with_the_lines(world, biller):
    small, big = world.make_claim(lines=1), world.make_claim(lines=12)
    for claim in (small, big):
        world.reject(claim)
    biller.get(f"/claims/{small.pk}/")  # the session and caches warmed once
    assert queries_of(lambda: biller.get(f"/claims/{small.pk}/")) == queries_of(
        lambda: biller.get(f"/claims/{big.pk}/")
    )


def test_rejections_and_batches_queries_do_not_grow(world, biller):
    from claims.models import ClaimBatch, ClaimBatchItem

    def grow(n):
        batch = ClaimBatch.objects.create(practice=world.clinic.practice, status="sending", claim_count=n)
        for _ in range(n):
            claim = world.make_claim(status="rejected")
            world.reject(claim)
            ClaimBatchItem.objects.create(batch=batch, claim=claim)
        world.make_claim(status="ready")

    grow(1)
    biller.get("/claims/rejections/")  # the session and caches warmed once
    counts = [
        queries_of(lambda url=url: biller.get(url)) for url in ("/claims/rejections/", "/claims/batches/")
    ]
    grow(15)
    assert [
        queries_of(lambda url=url: biller.get(url)) for url in ("/claims/rejections/", "/claims/batches/")
    ] == counts
