"""The denials API: the queue with filters, one denial with its codes in words and history,
actions (errors in the one shape: D6 refused, R4 needs the permission), outcomes, analytics."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from denials.models import Appeal
from tests.denials.world import World

pytestmark = pytest.mark.django_db


def test_list_detail_action_outcome(world: World, client_for: Any) -> None:
    denial = world.denial(carc="197", cents=15000)
    http = client_for(world.biller)
    rows = http.get(reverse("denials_api:list") + "?category=authorization").json()
    assert [(r["id"], r["carc"], r["amount"], r["category"]) for r in rows] == [
        (denial.pk, "197", "150.00", "authorization")
    ]
    detail = http.get(reverse("denials_api:detail", args=[denial.pk])).json()
    assert detail["codes"] == [
        {"code": "CO-197", "label": "Authorization missing for this service", "known": True}
    ]
    assert "appeal" in detail["operations"]
    assert "transfer_to_patient" not in detail["operations"]
    refused = http.post(
        reverse("denials_api:action", args=[denial.pk]),
        {"action": "transfer_to_patient", "reason": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "denial_transfer_to_patient_not_allowed"
    appealed = http.post(
        reverse("denials_api:action", args=[denial.pk]), {"action": "appeal"}, content_type="application/json"
    )
    assert appealed.json()["status"] == "in_appeal"
    appeal = Appeal.objects.get(denial=denial)
    won = http.post(
        reverse("denials_api:appeal_outcome", args=[appeal.pk]),
        {"outcome": "won", "recovered": "150.00", "outcome_on": "2026-12-02"},
        content_type="application/json",
    )
    assert won.json()["status"] == "won"
    analytics = http.get(reverse("denials_api:analytics") + "?start=2026-06-01&end=2026-12-31").json()
    assert analytics["denials"] == 1
    assert analytics["by_category"][0]["key"] == "authorization"


def test_r4_the_api_write_off_needs_the_permission(world: World, client_for: Any) -> None:
    denial = world.denial(carc="50")
    admin = client_for(world.admin)
    response = admin.post(
        reverse("denials_api:action", args=[denial.pk]),
        {"action": "write_off", "reason": "Below the cost of an appeal"},
        content_type="application/json",
    )
    assert response.status_code == 403
