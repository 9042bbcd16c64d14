"""The biller's home: claims ready to submit and rejected claims, each opening its screen; the
menu's "Claims" for billing roles only."""

from __future__ import annotations

import pytest

from tests.conftest import verified_client
from tests.dashboard.test_home import _tile

pytestmark = pytest.mark.django_db


def test_biller_home_counts_ready_and_rejected_claims(world):
    for _ in range(2):
        world.make_claim(status="ready")
    world.make_claim(status="rejected")
    world.make_claim(status="paid")
    response = verified_client(world.clinic.biller_user).get("/")
    body = response.content.decode()
    assert _tile(body, "claims-ready") == "2 Claims ready to submit tick them and submit a batch"
    assert _tile(body, "claims-rejected") == "1 Rejected claims fix and resubmit"
    assert 'href="/claims/batches/"' in body
    assert 'href="/claims/rejections/"' in body
    assert {"label": "Claims", "url": "/claims/", "active": False} in response.context["nav_items"]


def test_the_claims_menu_is_for_billing_roles_only(world):
    for user, shown in (
        (world.clinic.biller_user, True),
        (world.clinic.admin_user, True),
        (world.clinic.tech_user, False),
        (world.clinic.supervisor_user, False),
        (world.clinic.compliance_user, False),
    ):
        items = verified_client(user).get("/").context["nav_items"]
        assert any(item["label"] == "Claims" for item in items) is shown
