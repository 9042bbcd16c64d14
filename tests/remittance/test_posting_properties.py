"""Property tests over parse + post (issue #12, "Reliability"): generated valid 835s and mutated
ones (the generators of tests/edi/test_x835_properties.py).

- Pure level, 1,000 examples per property: parse, then plan against billed claims built from
  the file itself. No unhandled exception; every posted claim's entries add up to its charge
  (paid + adjustments = billed); anything else is a located exception or a located parse error.
- Database level, 120 examples per property: the real `era_post` on PostgreSQL. Fewer examples
  because each one creates a practice, its claims and a full posting transaction (0.2-0.5 s on
  the shared two-core machine: 1,000 would take 5-8 minutes per property); the generators are the
  same as the 1,000-example pure properties, so what this adds is persistence: rejected files
  write nothing financial, posted ones keep the ledger invariant, and a failure half-way through
  a posting leaves no row at all.
"""

from __future__ import annotations

import datetime as dt
import itertools
from unittest import mock

import pytest
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings

from claims.models import Claim, ClaimLine
from core.money import cents_from_decimal
from edi.x835 import Payment835, read_835
from ledger.models import LedgerEntry
from remittance.domain.posting import PROVIDER, BilledClaim, BilledLine, plan_posting
from remittance.models import EraClaim, EraFile
from remittance.services.posting import era_post
from tests.edi.test_x835_properties import files, mutated
from tests.factories import CoverageFactory, PracticeFactory, ProviderFactory

SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
_counter = itertools.count()


def _billed_from(payment: Payment835) -> list[BilledClaim]:
    """Our claims as the file describes them (so matching is exercised, not bypassed)."""
    found: dict[str, BilledClaim] = {}
    for clp in payment.claims:
        if clp.is_reversal or clp.patient_control_number in found:
            continue
        found[clp.patient_control_number] = BilledClaim(
            clp.patient_control_number,
            clp.patient_control_number,
            tuple(
                BilledLine(
                    f"{clp.patient_control_number}/{i}",
                    svc.control_number,
                    svc.billed_procedure.code,
                    svc.billed_procedure.modifiers,
                    svc.service_date,
                    cents_from_decimal(svc.charge),
                )
                for i, svc in enumerate(clp.lines)
            ),
        )
    return list(found.values())


def _check_plan(text: str) -> None:
    remittance, error = read_835(text)
    if remittance is None:
        assert error is not None
        assert error.segment_number is not None or "transaction set" in error.reason
        return
    for payment in remittance.transactions:
        plan = plan_posting(payment, _billed_from(payment))
        held = {e.patient_control_number for e in plan.exceptions}
        for exception in plan.exceptions:
            assert exception.message
        for clp in payment.claims:
            if clp.patient_control_number in held:
                continue
            entries = [
                e for e in plan.entries if e.claim_id == clp.patient_control_number and e.kind != PROVIDER
            ]
            expected = sum(
                cents_from_decimal(c.charge)
                for c in payment.claims
                if c.patient_control_number == clp.patient_control_number
            )
            assert sum(e.cents for e in entries) == expected


@settings(max_examples=1000, deadline=None, suppress_health_check=SLOW)
@given(files())
def test_valid_files_plan_completely_and_every_claim_adds_up_to_its_charge(text):
    _check_plan(text)


@settings(max_examples=1000, deadline=None, suppress_health_check=SLOW)
@given(mutated())
def test_mutated_files_plan_or_fail_with_located_errors_only(text):
    _check_plan(text)


# -- database level ---------------------------------------------------------------------------------


def _world_for(text: str) -> tuple[int, str]:
    """A fresh practice with the claims the file pays (line control numbers made unique)."""
    n = next(_counter)
    text = text.replace("REF*6R*L", f"REF*6R*P{n}L")
    coverage = CoverageFactory(patient__practice=PracticeFactory())
    practice = coverage.patient.practice
    provider = ProviderFactory(practice=practice)
    remittance, _ = read_835(text)
    if remittance is None:
        return practice.pk, text
    billed = {b.claim_id: b for p in remittance.transactions for b in _billed_from(p)}
    for pcn, claim_plan in billed.items():
        days = [line.service_date for line in claim_plan.lines if line.service_date is not None]
        day = min(days) if days else dt.date(2026, 11, 1)
        claim = Claim.objects.create(
            practice=practice,
            patient=coverage.patient,
            payer=coverage.payer,
            coverage=coverage,
            rendering_provider=provider,
            patient_control_number=pcn,
            status="submitted",
            status_changed_at=timezone.now(),
            place_of_service="11",
            date_from=day,
            date_to=day,
        )
        ClaimLine.objects.bulk_create(
            [
                ClaimLine(
                    claim=claim,
                    line_number=i + 1,
                    code=line.code[:5],
                    modifiers=list(line.modifiers),
                    units=1,
                    charge_cents=max(line.charge_cents, 0),
                    place_of_service="11",
                    service_date=line.service_date or day,
                    line_control_number=line.control_number or f"P{n}X{pcn}-{i}",
                )
                for i, line in enumerate(claim_plan.lines[:50])
            ]
        )
    return practice.pk, text


def _check_posted(practice_id: int, outcome) -> None:  # type: ignore[no-untyped-def]
    eras = EraFile.objects.filter(practice_id=practice_id)
    if outcome.rejected:
        assert [e.status for e in eras] == ["rejected"]
        assert not LedgerEntry.objects.filter(practice_id=practice_id).exists()
        assert outcome.summaries[0]["errors"][0]["message"]
        return
    for era_claim in EraClaim.objects.filter(era__practice_id=practice_id, state="posted"):
        # every posted CLP moved the insurance balance by exactly its charge (R8, R21)
        moved = (
            LedgerEntry.objects.filter(era_claim_id=era_claim.pk, account="insurance")
            .exclude(kind="denial_undone")
            .aggregate(total=Sum("amount_cents"))["total"]
            or 0
        )
        assert -moved == era_claim.charge_cents
    for era in eras:
        if era.status in ("held", "duplicate", "rejected"):
            assert not LedgerEntry.objects.filter(era_id=era.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db
@settings(max_examples=120, deadline=None, suppress_health_check=SLOW)
@given(files())
def test_valid_files_post_and_keep_the_ledger_invariant(text):
    practice_id, text = _world_for(text)
    outcome = era_post(practice_id=practice_id, raw=text.encode())
    assert not outcome.rejected
    _check_posted(practice_id, outcome)


@pytest.mark.postgres
@pytest.mark.django_db
@settings(max_examples=120, deadline=None, suppress_health_check=SLOW)
@given(mutated())
def test_mutated_files_are_rejected_whole_or_posted_exactly(text):
    practice_id, text = _world_for(text)
    outcome = era_post(practice_id=practice_id, raw=text.encode("utf-8"))
    _check_posted(practice_id, outcome)


@pytest.mark.postgres
@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=SLOW)
@given(files())
def test_a_failure_half_way_through_a_posting_leaves_nothing(text):
    practice_id, text = _world_for(text)
    with (
        mock.patch(
            "remittance.services.posting.ledger_entries_append", side_effect=RuntimeError("disk full")
        ),
        pytest.raises(RuntimeError),
    ):
        era_post(practice_id=practice_id, raw=text.encode())
    assert not EraFile.objects.filter(practice_id=practice_id).exists()
    assert not LedgerEntry.objects.filter(practice_id=practice_id).exists()
