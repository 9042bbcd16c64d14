"""Claims ready to send, a biller, and the directory clearinghouse (tests/claims/fake_clearinghouse.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from accounts.access import PracticeAccess
from claims.models import Claim
from practice.access import practice_access_for
from tests.claims.fake_clearinghouse import DirectoryClearinghouse
from tests.factories import CoverageFactory, PatientFactory, PracticeFactory, ProviderFactory
from tests.factories.claims import ClaimFactory, ClaimLineFactory

FAKE = "tests.claims.fake_clearinghouse:adapter"


@dataclass
class Office:
    practice: Any
    biller: PracticeAccess
    clearinghouse: DirectoryClearinghouse
    made: int = 0

    def ready_claims(self, count: int, *, member_prefix: str = "MBR") -> list[Claim]:
        claims = []
        provider = ProviderFactory(practice=self.practice)
        for _ in range(count):
            self.made += 1
            patient = PatientFactory(practice=self.practice, address_line1="12 Elm Street")
            coverage = CoverageFactory(patient=patient, member_id=f"{member_prefix}{self.made:05d}")
            claim = ClaimFactory(
                coverage=coverage,
                rendering_provider=provider,
                status="ready",
                date_from=dt.date(2026, 3, 2) + dt.timedelta(days=self.made % 20),
            )
            ClaimLineFactory(claim=claim, service_date=claim.date_from)
            claims.append(claim)
        return claims


@pytest.fixture
def fake_clearinghouse(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "clearinghouse"
    monkeypatch.setenv("FAKE_CLEARINGHOUSE_DIR", str(root))
    settings.CLAIMS_CLEARINGHOUSE = FAKE
    return root


@pytest.fixture
def office(db: Any, make_member: Callable[..., Any], fake_clearinghouse: Path) -> Office:
    practice = PracticeFactory(postal_code="627011234", phone="217-555-0100")
    user = make_member("biller", practice)
    access = practice_access_for(user=user, practice_id=practice.pk)
    assert access is not None
    return Office(practice, access, DirectoryClearinghouse(fake_clearinghouse / f"practice-{practice.pk}"))
