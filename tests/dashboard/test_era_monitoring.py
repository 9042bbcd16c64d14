"""R19 and R11 on the screens: per payer the ERA enrolment and the last ERA received (payer
list, payer page, billing dashboard), the "No ERA from <payer> since <date>" alert, the open
provider-level items tile and screen, and a dashboard whose query count does not grow."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from claims.models import Claim
from core.formatting import date_label
from payers.models import Payer
from practice.selectors import practice_today, practice_zone
from remittance.models import EraFile, ProviderLevelItem
from remittance.services.posting import era_post
from tests.query_counts import queries_of
from tests.remittance.world import NOV1, PAID_900, REVERSED_900, World, era

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(practice):  # type: ignore[no-untyped-def]
    w = World(practice)
    Payer.objects.filter(pk=w.payer.pk).update(payer_id="SYNPAYER1")  # the ERAs' REF*2U
    w.claim("PCN900", ("L90", "90834", (), NOV1, 15000))
    w.claim("PCN910", ("L91", "90837", (), NOV1, 20000))
    return w


def _received(world: World, amount: str, trace: str, days_ago: int, *segments: str) -> EraFile:
    """An ERA posted through the service, received `days_ago` days ago at noon practice time."""
    outcome = era_post(practice_id=world.practice.pk, raw=era(amount, trace, *segments))
    zone = practice_zone(practice_id=world.practice.pk)
    day = practice_today(practice_id=world.practice.pk) - dt.timedelta(days=days_ago)
    received = dt.datetime.combine(day, dt.time(12), tzinfo=zone)
    EraFile.objects.filter(pk__in=outcome.era_ids).update(received_at=received)
    return EraFile.objects.get(pk=outcome.era_ids[0])


def _claim_activity(world: World, days_ago: int) -> None:
    from django.utils import timezone

    Claim.objects.filter(pk=world.claims["PCN910"].pk).update(
        status="accepted_payer", status_changed_at=timezone.now() - dt.timedelta(days=days_ago)
    )


@pytest.mark.parametrize(("_case", "days", "alerted"), [("20 days", 20, False), ("21 days", 21, True)])
def test_r19_dashboard_alerts_no_era_from_a_payer_with_recent_claims(
    world, make_member, client_for, _case, days, alerted
):
    # given: an ERA `days` ago and a claim accepted by the payer 5 days ago
    _received(world, "50.00", "EFT0001", days, *PAID_900)
    _claim_activity(world, 5)
    client = client_for(make_member("biller", world.practice))
    # when
    html = client.get(reverse("billing_dashboard:dashboard")).content.decode()
    # then
    since = date_label(practice_today(practice_id=world.practice.pk) - dt.timedelta(days=days), weekday=False)
    text = f"No ERA from Synthetic Health Plan since {since} ({days} days)"
    assert (text in html) is alerted
    assert ('id="era-alerts"' in html) is alerted


def test_r19_no_alert_without_claims_in_the_last_60_days(world, make_member, client_for):
    _received(world, "50.00", "EFT0001", 30, *PAID_900)
    _claim_activity(world, 61)
    Claim.objects.filter(pk=world.claims["PCN900"].pk).update(status="draft")
    client = client_for(make_member("biller", world.practice))
    html = client.get(reverse("billing_dashboard:dashboard")).content.decode()
    assert "No ERA from" not in html


def test_r19_enrolment_and_last_era_are_visible_and_editable_by_admins(world, make_member, client_for):
    # given
    _received(world, "50.00", "EFT0001", 3, *PAID_900)
    admin = client_for(make_member("practice_admin", world.practice))
    payer = Payer.objects.get(pk=world.payer.pk)
    form = {
        "name": payer.name,
        "kind": payer.kind,
        "payer_id": payer.payer_id,
        "claim_filing_indicator": payer.claim_filing_indicator,
        "timely_filing_days": payer.timely_filing_days,
        "appeal_window_days": payer.appeal_window_days,
        "is_active": "on",
        "era_enrollment": "enrolled",
        "era_enrolled_on": "2026-10-01",
    }
    # when: the admin records the ERA enrolment on the payer screen
    response = admin.post(reverse("payers:edit", args=[payer.pk]), form)
    # then
    assert response.status_code == 302
    payer.refresh_from_db()
    assert (payer.era_enrollment, payer.era_enrolled_on) == ("enrolled", dt.date(2026, 10, 1))
    last = date_label(practice_today(practice_id=world.practice.pk) - dt.timedelta(days=3), weekday=False)
    listing = admin.get(reverse("payers:list")).content.decode()
    assert f"Enrolled · last ERA {last}" in listing
    detail = admin.get(reverse("payers:detail", args=[payer.pk])).content.decode()
    assert "Enrolled · 1 Oct 2026" in detail
    assert f"<strong>Last ERA received</strong><br>{last}" in detail
    board = admin.get(reverse("billing_dashboard:dashboard")).content.decode()
    assert "<td>Enrolled</td><td>1 Oct 2026</td><td>" + last + "</td>" in board


def test_r19_a_biller_cannot_change_the_enrolment(world, make_member, client_for):
    biller = client_for(make_member("biller", world.practice))
    response = biller.post(reverse("payers:edit", args=[world.payer.pk]), {"era_enrollment": "enrolled"})
    assert response.status_code == 403
    assert Payer.objects.get(pk=world.payer.pk).era_enrollment == "unknown"


def test_r11_open_provider_items_are_counted_on_the_dashboard_and_listed_with_both_eras(
    world, make_member, client_for
):
    # given: a forward balance opened on one ERA, a WO opened and offset on two more
    _received(world, "50.00", "EFT0001", 10, *PAID_900)
    opened = _received(world, "0.00", "EFT0002", 9, *REVERSED_900, "PLB*1234567893*20261231*FB:FWD900*-50.00")
    wo = _received(
        world,
        "225.00",
        "EFT0003",
        8,
        "CLP*PCN910*1*200.00*200.00*0*12*C2*11*1",
        "PLB*1234567893*20261231*WO:X77*-25.00",
    )
    offset = _received(world, "-25.00", "EFT0004", 1, "PLB*1234567893*20261231*WO:X77*25.00")
    ProviderLevelItem.objects.update(created_at=opened.received_at)
    client = client_for(make_member("biller", world.practice))
    # when
    board = client.get(reverse("billing_dashboard:dashboard")).content.decode()
    screen = client.get(reverse("remittance:provider_items")).content.decode()
    # then: one open item counted, listed with its age; the offset one links both ERAs
    assert 'id="tile-provider_items"' in board
    assert re.search(r'id="tile-provider_items"[^>]*>\s*<span class="tile-count">1</span>', board)
    assert "Open (1)" in screen
    assert "FB · Forward balance" in screen
    assert "9 days" in screen
    assert reverse("remittance:era_detail", args=[opened.pk]) in screen
    assert reverse("remittance:era_detail", args=[wo.pk]) in screen
    assert reverse("remittance:era_detail", args=[offset.pk]) in screen


def test_dashboard_queries_do_not_grow_with_payers_eras_and_provider_items(world, make_member, client_for):
    client = client_for(make_member("biller", world.practice))
    url = reverse("billing_dashboard:dashboard")
    _received(world, "50.00", "EFT0001", 30, *PAID_900)
    client.get(url)  # warm the session and membership caches
    small = queries_of(lambda: client.get(url))
    # when: more payers, ERAs and open provider-level items
    for n in range(3):
        Payer.objects.create(practice=world.practice, name=f"Other plan {n}", payer_id=f"OTH{n}")
        _received(world, "1.00", f"EFT1{n:03d}", 25 + n, f"PLB*1234567893*20261231*FB:F{n}*-1.00")
    _claim_activity(world, 2)
    large = queries_of(lambda: client.get(url))
    assert ProviderLevelItem.objects.filter(status="open").count() == 3
    assert small == large
