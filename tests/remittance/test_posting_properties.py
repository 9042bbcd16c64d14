"""Property tests over parse + post (issue #12, "Reliability"): generated valid 835s and mutated
ones (the generators of tests/edi/test_x835_properties.py), 1,000 examples per property.

- Pure level: parse, then plan against billed claims built from the file itself. No unhandled
  exception; every posted claim's entries add up to its charge (paid + adjustments = billed);
  anything else is a located exception or a located parse error.
- Database level: the real `era_post` on PostgreSQL. One practice (patient, coverage, provider)
  is made once for the class; each example bills the file's claims, posts, checks and is rolled
  back (hypothesis.extra.django.TestCase: a savepoint per example, decision record 0052). What
  this adds is persistence: rejected files write nothing financial, posted ones keep the ledger
  invariant, and a failure half-way through a posting leaves no row at all.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from claims.models import Claim, ClaimLine
from core.money import cents_from_decimal
from edi.x835 import Payment835, read_835
from ledger import services as ledger_services
from ledger.models import LedgerEntry
from patients.models import Coverage
from practice.models import Provider
from remittance.domain.posting import PROVIDER, BilledClaim, BilledLine, plan_posting
from remittance.models import EraClaim, EraFile
from remittance.services.posting import era_post
from tests.edi.samples_835 import PAID, envelope
from tests.edi.test_x835_properties import files, mutated
from tests.factories import CoverageFactory, PracticeFactory, ProviderFactory

SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
EXAMPLES = 1000


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


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SLOW)
@given(files())
def test_valid_files_plan_completely_and_every_claim_adds_up_to_its_charge(text):
    _check_plan(text)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SLOW)
@given(mutated())
def test_mutated_files_plan_or_fail_with_located_errors_only(text):
    _check_plan(text)


# -- database level ---------------------------------------------------------------------------------

LINES = 50  # lines per claim we bill at most (the generator's claims have up to 3)


def _first_day(billed: BilledClaim) -> dt.date:
    days = [line.service_date for line in billed.lines if line.service_date is not None]
    return min(days) if days else dt.date(2026, 11, 1)


def _bill(text: str, *, coverage: Coverage, provider: Provider) -> None:
    """The claims the file pays, billed by the shared practice (rolled back with the example)."""
    remittance, _ = read_835(text)
    if remittance is None:
        return
    billed = {b.claim_id: b for p in remittance.transactions for b in _billed_from(p)}
    now = timezone.now()
    claims = Claim.objects.bulk_create(
        [
            Claim(
                practice_id=provider.practice_id,
                patient_id=coverage.patient_id,
                payer_id=coverage.payer_id,
                coverage=coverage,
                rendering_provider=provider,
                patient_control_number=pcn,
                status="submitted",
                status_changed_at=now,
                place_of_service="11",
                date_from=_first_day(claim_plan),
                date_to=_first_day(claim_plan),
            )
            for pcn, claim_plan in billed.items()
        ]
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
                service_date=line.service_date or claim.date_from,
                line_control_number=line.control_number or f"X{claim.patient_control_number}-{i}",
            )
            for claim, claim_plan in zip(claims, billed.values(), strict=True)
            for i, line in enumerate(claim_plan.lines[:LINES])
        ]
    )


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


class _FailingAt:
    """ledger_entries_append that writes the first `calls - 1` payments' entries, then fails."""

    def __init__(self, calls: int) -> None:
        self.left = calls

    def __call__(self, **kwargs):  # type: ignore[no-untyped-def]
        self.left -= 1
        if self.left == 0:
            raise RuntimeError("disk full")
        return ledger_services.ledger_entries_append(**kwargs)


@pytest.mark.postgres
@pytest.mark.timeout(1500)  # 1,000 postings per property: 2-11 min each on the shared two-core machine
class EraPostOnPostgres(TestCase):
    """The real `era_post`, each example in a savepoint rolled back after it (Django marks it as
    the test case's, so the durable block of `era_post` runs inside it as it does in any
    `django_db` test; test_era_post_is_durable shows it cannot hide in a caller's transaction)."""

    coverage: Coverage
    provider: Provider

    @classmethod
    def setUpTestData(cls) -> None:
        cls.coverage = CoverageFactory(patient__practice=PracticeFactory())
        cls.provider = ProviderFactory(practice=cls.coverage.patient.practice)

    def _post(self, text: str):  # type: ignore[no-untyped-def]
        _bill(text, coverage=self.coverage, provider=self.provider)
        return era_post(practice_id=self.provider.practice_id, raw=text.encode("utf-8"))

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SLOW)
    @given(files())
    def test_valid_files_post_and_keep_the_ledger_invariant(self, text: str) -> None:
        outcome = self._post(text)
        assert not outcome.rejected
        assert EraFile.objects.filter(practice_id=self.provider.practice_id).count() == len(outcome.era_ids)
        _check_posted(self.provider.practice_id, outcome)

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SLOW)
    @given(mutated())
    def test_mutated_files_are_rejected_whole_or_posted_exactly(self, text: str) -> None:
        outcome = self._post(text)
        assert EraFile.objects.filter(practice_id=self.provider.practice_id).count() == len(outcome.era_ids)
        _check_posted(self.provider.practice_id, outcome)

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SLOW)
    @given(files(), st.integers(min_value=0, max_value=2))
    def test_a_failure_half_way_through_a_posting_leaves_nothing(self, text: str, at: int) -> None:
        """The fault hits the ledger write of one of the file's payments (the last one at most):
        the payments before it were written, and the whole file goes."""
        remittance, _ = read_835(text)
        assert remittance is not None
        failing = _FailingAt(min(at, len(remittance.transactions) - 1) + 1)
        with (
            mock.patch("remittance.services.posting.ledger_entries_append", side_effect=failing),
            pytest.raises(RuntimeError, match="disk full"),
        ):
            self._post(text)
        assert failing.left == 0
        practice_id = self.provider.practice_id
        assert not EraFile.objects.filter(practice_id=practice_id).exists()
        assert not EraClaim.objects.filter(era__practice_id=practice_id).exists()
        assert not LedgerEntry.objects.filter(practice_id=practice_id).exists()

    def test_era_post_is_durable(self) -> None:
        """In production `era_post` is always the outermost transaction, so the rollback above is
        the whole file's: called inside a caller's transaction it refuses to start."""
        with transaction.atomic(), pytest.raises(RuntimeError, match="durable"):
            self._post(envelope(PAID))
