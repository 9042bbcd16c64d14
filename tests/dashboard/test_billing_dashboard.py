"""The billing dashboard: aging that reconciles to the ledger on each basis (U1), the stuck-claim
queues (U4), links that keep their filters and open the right patient (U5), one status label
everywhere (U2), CSV of every list, and a constant number of queries for 50 and 500 claims."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from claims.domain.claim_status import CLAIM_STATUS_LABELS, ClaimStatus
from claims.models import Claim
from dashboard import ar_selectors as selectors
from dashboard.charts import grouped_bars
from ledger.billing_selectors import PENDING_STATUSES, claim_status_label
from ledger.domain.aging import AgingBasis, age_in_days, bucket_for, days_in_ar, rate
from ledger.models import Account, LedgerEntry
from practice.selectors import practice_today
from tests.dashboard.billing_world import claims_bulk
from tests.factories.claims import ClaimFactory
from tests.query_counts import queries_of

pytestmark = pytest.mark.django_db


def test_buckets_and_rates_pure():
    assert [bucket_for(d) for d in (0, 30, 31, 60, 61, 90, 91, 120, 121, 999)] == [
        "0_30",
        "0_30",
        "31_60",
        "31_60",
        "61_90",
        "61_90",
        "91_120",
        "91_120",
        "120_plus",
        "120_plus",
    ]
    assert age_in_days(dt.date(2026, 12, 5), dt.date(2026, 12, 1)) == 0
    assert days_in_ar(ar_cents=300_000, charges_cents=900_000, period_days=90) == 30.0
    assert days_in_ar(ar_cents=1, charges_cents=0, period_days=90) is None
    assert rate(1, 4) == 25.0
    assert rate(0, 0) is None
    chart = grouped_bars(
        [("0–30", [("insurance", 100, "a"), ("patient", 50, "b")]), ("31–60", [("insurance", 0, "c")])]
    )
    assert [bar.height for bar in chart.bars] == [168, 84, 0]


def test_u1_aging_reconciles_to_the_ledger_on_every_basis(practice):
    today = practice_today(practice_id=practice.pk)
    claims_bulk(practice, 60, today=today)
    charged = LedgerEntry.objects.filter(practice=practice, kind="charge").values_list("claim_id", flat=True)
    ledger_insurance = LedgerEntry.objects.filter(
        practice=practice, account__in=[Account.INSURANCE, Account.DENIED]
    ).aggregate(s=Sum("amount_cents"))["s"]
    pending = (
        Claim.objects.filter(practice=practice, status__in=PENDING_STATUSES)
        .exclude(pk__in=charged)
        .aggregate(s=Sum("total_cents"))["s"]
    )
    ledger_patient = LedgerEntry.objects.filter(practice=practice, account=Account.PATIENT).aggregate(
        s=Sum("amount_cents")
    )["s"]
    for basis in AgingBasis:
        aging = selectors.ar_aging(practice_id=practice.pk, basis=basis, as_of=today)
        assert aging.insurance_total.total == ledger_insurance + pending
        assert aging.patients.total == ledger_patient
        assert len(aging.insurance) == 2  # two payers


def test_u1_the_basis_changes_the_bucket(practice):
    today = practice_today(practice_id=practice.pk)
    claim = ClaimFactory(
        coverage__patient__practice=practice,
        status="submitted",
        date_from=today - dt.timedelta(days=100),
        submitted_at=timezone.now() - dt.timedelta(days=10),
        status_changed_at=timezone.now() - dt.timedelta(days=40),
    )
    by = {
        basis: selectors.ar_aging(practice_id=practice.pk, basis=basis, as_of=today).insurance_total.buckets
        for basis in AgingBasis
    }
    assert by[AgingBasis.SERVICE]["91_120"] == claim.total_cents
    assert by[AgingBasis.SUBMISSION]["0_30"] == claim.total_cents
    assert by[AgingBasis.ACTIVITY]["31_60"] == claim.total_cents
    earlier = selectors.ar_aging(
        practice_id=practice.pk, basis=AgingBasis.SERVICE, as_of=today - dt.timedelta(days=101)
    )
    assert earlier.insurance_total.total == 0  # "as of" before the service: nothing owed yet


def test_u4_stuck_claim_queues_count_and_dollars(practice):
    now = timezone.now()
    common = {"coverage__patient__practice": practice, "total_cents": 10000}
    ClaimFactory(status="submitted", submitted_at=now - dt.timedelta(days=2), **common)
    ClaimFactory(status="submitted", submitted_at=now - dt.timedelta(hours=3), **common)
    ClaimFactory(status="accepted_payer", status_changed_at=now - dt.timedelta(days=31), **common)
    ClaimFactory(status="rejected", status_changed_at=now - dt.timedelta(days=4), **common)
    ClaimFactory(status="rejected", status_changed_at=now, **common)
    ClaimFactory(status="denied", status_changed_at=now - dt.timedelta(days=8), **common)
    counts = {
        q.key: (q.count, q.cents) for q in selectors.claim_queue_counts(practice_id=practice.pk, now=now)
    }
    assert counts == {
        "rejected": (2, 20000),
        "rejected_idle": (1, 10000),
        "no_ack": (1, 10000),
        "no_era": (1, 10000),
        "denied_idle": (1, 10000),
    }


def test_u2_one_label_per_status_used_by_the_lists():
    assert set(CLAIM_STATUS_LABELS) == set(ClaimStatus)
    assert len(set(CLAIM_STATUS_LABELS.values())) == len(ClaimStatus)
    assert claim_status_label("accepted_payer") == CLAIM_STATUS_LABELS[ClaimStatus.ACCEPTED_PAYER]


@pytest.fixture
def biller(practice, make_member):  # type: ignore[no-untyped-def]
    return make_member("biller", practice)


def test_dashboard_page_tiles_keep_the_filters_and_the_list_opens_the_patient(practice, biller, client_for):
    today = practice_today(practice_id=practice.pk)
    claims = claims_bulk(practice, 20, today=today)
    client = client_for(biller)
    page = client.get(
        reverse("billing_dashboard:dashboard"), {"basis": "submission", "as_of": today.isoformat()}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="aging-chart"' in html
    assert "<svg" in html
    assert f"queue=rejected&amp;basis=submission&amp;as_of={today.isoformat()}" in html  # U5
    listing = client.get(
        reverse("billing_dashboard:claims"),
        {"queue": "rejected", "basis": "submission", "as_of": today.isoformat()},
    )
    body = listing.content.decode()
    rejected = [c for c in claims if c.status == "rejected"]
    assert f"{len(rejected)} claims" in body
    first = rejected[0]
    assert reverse("patient_billing:account", args=[first.patient_id]) in body
    assert "format=csv" in body
    assert "queue=rejected" in body
    exported = client.get(reverse("billing_dashboard:claims"), {"queue": "rejected", "format": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[0][0] == "Claim"
    assert len(rows) == len(rejected) + 1
    assert {row[5] for row in rows[1:]} == {"Rejected"}
    aging_csv = client.get(reverse("billing_dashboard:dashboard"), {"format": "csv"})
    assert aging_csv["Content-Type"].startswith("text/csv")


def _count(client, name: str, **params: str) -> int:  # type: ignore[no-untyped-def]
    url = reverse(name)
    return queries_of(lambda: client.get(url, params))


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("billing_dashboard:dashboard", {}),
        ("billing_dashboard:claims", {}),
        ("billing_dashboard:claims", {"side": "patient", "bucket": "0_30"}),
        ("patient_billing:ar", {}),
    ],
)
def test_constant_queries_for_50_and_500_claims(practice, biller, client_for, name, params):
    today = practice_today(practice_id=practice.pk)
    client = client_for(biller)
    claims_bulk(practice, 50, today=today)
    client.get(reverse(name), params)  # warm caches (session, membership)
    small = _count(client, name, **params)
    claims_bulk(practice, 450, today=today)
    large = _count(client, name, **params)
    assert small == large
