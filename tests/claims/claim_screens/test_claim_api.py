"""The claims API: list with counts and filters, one claim with its 837P segments, batches
(list and submit), rejections and resubmission; permissions before the body."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from claims import claim_actions
from claims.models import ClaimBatch, ClaimBatchItem
from tests.conftest import verified_client
from tests.query_counts import queries_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def biller(world):
    return verified_client(world.clinic.biller_user)


def test_list_has_counts_and_filters(world, biller):
    ready = world.make_claim(status="ready")
    world.make_claim(status="rejected", cents=9000)
    body = biller.get("/api/claims/").json()
    assert body["count"] == 2
    assert body["counts_by_status"]["ready"] == 1
    assert body["counts_by_status"]["rejected"] == 1
    body = biller.get("/api/claims/", {"status": "ready"}).json()
    [row] = body["results"]
    assert (row["id"], row["patient_control_number"], row["status_label"], row["total_cents"]) == (
        ready.pk, ready.patient_control_number, "Ready", 15000,
    )  # fmt: skip
    assert biller.get("/api/claims/", {"max_cents": 10000}).json()["count"] == 1
    assert biller.get("/api/claims/", {"status": "nonsense"}).status_code == 400
    assert biller.get("/api/claims/", {"age": "7 years"}).status_code == 400


def test_list_queries_are_constant(world, biller):
    world.make_claim()
    biller.get("/api/claims/")
    few = queries_of(lambda: biller.get("/api/claims/"))
    for _ in range(25):
        world.make_claim()
    assert queries_of(lambda: biller.get("/api/claims/")) == few


def test_detail_carries_lines_events_acknowledgements_and_the_837_segments(world, biller):
    claim = world.make_claim(status="rejected", lines=2)
    world.reject(claim)
    body = biller.get(f"/api/claims/{claim.pk}/").json()
    assert [line["line_number"] for line in body["lines"]] == [1, 2]
    assert body["acknowledgements"][0]["acknowledged_by"] == "payer_277ca"
    assert body["acknowledgements"][0]["accepted"] is False
    assert body["events"][0]["to_status"] == "rejected"
    assert body["x837_problem"] == ""
    assert any(s.startswith(f"CLM*{claim.patient_control_number}*") for s in body["x837_segments"])


def test_batches_list_and_submit(world, biller, monkeypatch):
    claim = world.make_claim(status="ready")
    batch = ClaimBatch.objects.create(practice=world.clinic.practice, status="sent", claim_count=1,
                                      sent_at=claim.status_changed_at)  # fmt: skip
    ClaimBatchItem.objects.create(batch=batch, claim=claim)
    assert biller.get("/api/claims/batches/").json() == [
        {"id": batch.pk, "status": "sent", "total": 1, "sent": 1, "accepted": 0, "rejected": 0, "done": True}
    ]
    calls = []

    def fake_create(practice_id, claim_ids, *, actor):
        calls.append((practice_id, list(claim_ids), actor.user_id))
        return SimpleNamespace(pk=batch.pk)

    monkeypatch.setattr(claim_actions, "_service", lambda path: fake_create)
    response = biller.post("/api/claims/batches/", {"claim_ids": [claim.pk]}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["id"] == batch.pk
    assert calls == [(world.clinic.practice.pk, [claim.pk], world.clinic.biller_user.pk)]
    assert (
        biller.post("/api/claims/batches/", {"claim_ids": []}, content_type="application/json").status_code
        == 400
    )


def test_rejections_and_permissions(world, biller):
    claim = world.make_claim(status="rejected")
    world.reject(claim, "Check the member ID.")
    [row] = biller.get("/api/claims/rejections/").json()
    assert (row["claim"]["id"], row["reason"], row["category_code"]) == (
        claim.pk,
        "Check the member ID.",
        "A7",
    )
    admin = verified_client(world.clinic.admin_user)
    assert admin.get("/api/claims/").status_code == 200
    # an admin may read but not act: refused before the body is read
    assert admin.post("/api/claims/batches/", "not json", content_type="application/json").status_code == 403
    assert admin.post(f"/api/claims/{claim.pk}/resubmit/").status_code == 403
    for user in (world.clinic.tech_user, world.clinic.supervisor_user, world.clinic.compliance_user):
        client = verified_client(user)
        assert client.get("/api/claims/").status_code == 403
        assert client.get(f"/api/claims/{claim.pk}/").status_code == 403
