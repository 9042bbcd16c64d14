"""The biller home's timely-filing alert for claims: deadline within 14 days (or past) and the
payer has not accepted the claim yet (time frozen on 2026-03-10, New York)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.claims.claims837.world import make_payer
from tests.dashboard.test_home import _home, _tile
from tests.factories import CoverageFactory
from tests.factories.claims import ClaimFactory
from tests.query_counts import queries_of

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


def _claim(clinic, coverage, status: str, deadline: dt.date) -> None:
    ClaimFactory(
        coverage=coverage,
        rendering_provider=clinic.clinician,
        status=status,
        timely_filing_deadline=deadline,
    )


def test_claims_near_or_past_their_deadline_and_not_with_the_payer_are_counted(clinic, client_for):
    payer = make_payer(clinic.practice)
    coverage = CoverageFactory(patient=clinic.patient, payer=payer)
    _claim(clinic, coverage, "ready", TODAY + dt.timedelta(days=14))  # counted: last day of the window
    _claim(clinic, coverage, "rejected", TODAY - dt.timedelta(days=1))  # counted: past
    _claim(clinic, coverage, "draft", TODAY + dt.timedelta(days=15))  # outside the window
    _claim(clinic, coverage, "accepted_payer", TODAY)  # the payer has it: the clock stopped
    _claim(clinic, coverage, "paid", TODAY - dt.timedelta(days=3))
    body = _home(client_for, clinic.biller_user)
    assert _tile(body, "claims-filing-near") == "2 Claims near the filing deadline 1 past the deadline"


def test_the_tile_costs_one_query_whatever_the_number_of_claims(clinic, client_for):
    payer = make_payer(clinic.practice)
    coverage = CoverageFactory(patient=clinic.patient, payer=payer)
    biller = client_for(clinic.biller_user)
    _claim(clinic, coverage, "ready", TODAY)
    before = queries_of(lambda: biller.get("/"))
    for _ in range(5):
        _claim(clinic, coverage, "submitted", TODAY)
    assert queries_of(lambda: biller.get("/")) == before
    assert _tile(_home(client_for, clinic.biller_user), "claims-filing-near").startswith("6 ")


def test_a_clinician_sees_no_claims_tile(clinic, client_for):
    assert 'id="tile-claims-filing-near"' not in _home(client_for, clinic.clinician_user)
