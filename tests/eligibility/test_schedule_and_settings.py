"""The scheduled verification (beat), batch progress, the practice's clearinghouse and the
production refusal of the sandbox; the scrubber's facts from a real check."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from claims.domain.types import CoverageFacts
from claims.selectors.facts import eligibility_facts
from clearinghouse.interface import PermanentClearinghouseError
from core.errors import ValidationFailed
from eligibility import services
from eligibility.adapters import adapter_for
from eligibility.checks import sandbox_refused_in_production
from eligibility.models import EligibilityCheck
from eligibility.selectors import batch_progress
from eligibility.tasks import eligibility_schedule_task
from practice.access import practice_access_for
from practice.selectors import practice_today
from tests.eligibility.world import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_member):  # type: ignore[no-untyped-def]
    return make_world(make_member)


def run_all() -> None:
    for check in EligibilityCheck.objects.filter(status__in=["queued", "failed_transient"]):
        with contextlib.suppress(services.CheckRetry):
            services.eligibility_check_run(check_id=check.pk)


def test_the_schedule_verifies_upcoming_appointments_once_per_coverage_and_date(world):  # type: ignore[no-untyped-def]
    today = practice_today(practice_id=world.practice.pk)
    soon = world.coverage("SBX1001")
    twice = world.coverage("SBX1002")
    later = world.coverage("SBX1003")
    world.appointment(soon, today + dt.timedelta(days=1))
    world.appointment(twice, today + dt.timedelta(days=7), hour=9)
    world.appointment(twice, today + dt.timedelta(days=7), hour=15)
    world.appointment(later, today + dt.timedelta(days=8))

    batch = services.eligibility_schedule_run(practice_id=world.practice.pk)

    assert batch is not None
    checks = EligibilityCheck.objects.filter(batch=batch)
    assert sorted(checks.values_list("coverage__member_id", flat=True)) == ["SBX1001", "SBX1002"]
    assert set(checks.values_list("reason", flat=True)) == {"scheduled"}
    assert batch_progress(batch_id=batch.pk).percent == 0
    run_all()
    progress = batch_progress(batch_id=batch.pk)
    assert (progress.total, progress.finished, progress.percent) == (2, 2, 100)
    # a second run the same day queues nothing (fresh checks)
    assert services.eligibility_schedule_run(practice_id=world.practice.pk) is None
    assert eligibility_schedule_task() == 0


def test_sandbox_refused_in_production_unless_allowed():
    with override_settings(
        DEBUG=False, ELIGIBILITY_SANDBOX_ALLOWED=False, ELIGIBILITY_CLEARINGHOUSE="sandbox"
    ):
        assert [e.id for e in sandbox_refused_in_production()] == ["eligibility.E001"]
        with pytest.raises(PermanentClearinghouseError, match="refused in production"):
            adapter_for("sandbox", practice_id=0)
    with override_settings(
        DEBUG=False, ELIGIBILITY_SANDBOX_ALLOWED=True, ELIGIBILITY_CLEARINGHOUSE="sandbox"
    ):
        assert sandbox_refused_in_production() == []
        assert adapter_for("sandbox", practice_id=0).is_sandbox is True
    with override_settings(DEBUG=False, ELIGIBILITY_SANDBOX_ALLOWED=False, ELIGIBILITY_CLEARINGHOUSE=""):
        assert sandbox_refused_in_production() == []
    with override_settings(
        DEBUG=True, ELIGIBILITY_SANDBOX_ALLOWED=False, ELIGIBILITY_CLEARINGHOUSE="sandbox"
    ):
        assert sandbox_refused_in_production() == []


def test_a_practice_that_chose_the_sandbox_in_production_gets_a_recorded_failure(world):  # type: ignore[no-untyped-def]
    coverage = world.coverage("SBX1001")
    check = services.eligibility_verify_now(
        access=world.access, coverage_id=coverage.pk, service_date=dt.date(2026, 3, 10)
    )
    with override_settings(DEBUG=False, ELIGIBILITY_SANDBOX_ALLOWED=False):
        services.eligibility_check_run(check_id=check.pk)
    check.refresh_from_db()
    assert check.status == "failed_permanent"
    assert "refused in production" in check.error_message


def test_only_admins_choose_the_clearinghouse_and_never_the_sandbox_in_production(world, make_member):  # type: ignore[no-untyped-def]
    admin = practice_access_for(
        user=make_member("practice_admin", world.practice), practice_id=world.practice.pk
    )
    assert admin is not None
    row = services.eligibility_settings_save(access=admin, clearinghouse="sandbox", days_ahead=3)
    assert (row.clearinghouse, row.days_ahead) == ("sandbox", 3)
    with pytest.raises(ValidationFailed):
        services.eligibility_settings_save(access=admin, clearinghouse="nowhere")
    with override_settings(DEBUG=False, ELIGIBILITY_SANDBOX_ALLOWED=False), pytest.raises(ValidationFailed):
        services.eligibility_settings_save(access=admin, clearinghouse="sandbox")


def test_the_scrubbers_facts_come_from_the_check_nearest_the_date(world):  # type: ignore[no-untyped-def]
    coverage = world.coverage("SBX1005")
    facts = CoverageFacts(
        coverage_id=coverage.pk, payer_id=coverage.payer_id, payer_name="Sandbox", member_id="SBX1005",
        effective_on=coverage.effective_on,
    )  # fmt: skip
    dos = dt.date(2026, 3, 10)
    assert eligibility_facts(facts, day=dos, window_days=30) is None  # the practice verifies elsewhere
    admin = practice_access_for(user=world.biller, practice_id=world.practice.pk)
    assert admin is not None
    services.eligibility_verify_now(
        access=world.access, coverage_id=coverage.pk, service_date=dos - dt.timedelta(days=31)
    )
    run_all()
    from eligibility.models import EligibilitySettings

    EligibilitySettings.objects.create(practice=world.practice)
    unverified = eligibility_facts(facts, day=dos, window_days=30)
    assert unverified is not None
    assert unverified.verified_for is None  # 31 days away: outside the window
    services.eligibility_verify_now(
        access=world.access, coverage_id=coverage.pk, service_date=dos - dt.timedelta(days=30)
    )
    run_all()
    found = eligibility_facts(facts, day=dos, window_days=30)
    assert found is not None
    assert (found.verified_for, found.covered, found.visits_left, found.visit_limit) == (
        dos - dt.timedelta(days=30), True, 2, 30,
    )  # fmt: skip


def test_the_batch_queues_any_number_of_coverages_in_the_same_number_of_queries(world):  # type: ignore[no-untyped-def]
    """Bench issue 10: reading and writing per coverage made 1,000 checks take 27 s to queue."""
    from tests.query_counts import queries_of

    today = practice_today(practice_id=world.practice.pk)

    def batch_of(members: list[str]) -> int:
        for member in members:
            world.appointment(world.coverage(member), today + dt.timedelta(days=1))
        return queries_of(lambda: services.eligibility_schedule_run(practice_id=world.practice.pk))

    one = batch_of(["SBX1001"])
    many = batch_of(["SBX1002", "SBX1003", "SBX1004", "SBX1005", "SBX1006", "SBX1007"])
    assert EligibilityCheck.objects.filter(reason="scheduled").count() == 7
    assert many == one, (one, many)
    assert one <= 20


def test_the_batch_skips_fresh_coverages_repeats_and_a_check_already_asked_for(world):  # type: ignore[no-untyped-def]
    today = practice_today(practice_id=world.practice.pk)
    fresh, asked, returning = world.coverage("SBX1001"), world.coverage("SBX1002"), world.coverage("SBX1003")
    services.eligibility_verify_now(access=world.access, coverage_id=fresh.pk)  # checked today
    world.appointment(fresh, today + dt.timedelta(days=2))
    services.eligibility_verify_now(
        access=world.access, coverage_id=asked.pk, service_date=today + dt.timedelta(days=3)
    )
    EligibilityCheck.objects.filter(coverage=asked).update(created_at=timezone.now() - dt.timedelta(days=40))
    world.appointment(asked, today + dt.timedelta(days=3))  # stale, but that date has its check
    world.appointment(returning, today - dt.timedelta(days=90))
    world.appointment(returning, today + dt.timedelta(days=1))
    world.appointment(returning, today + dt.timedelta(days=4))  # one check per coverage per run

    batch = services.eligibility_schedule_run(practice_id=world.practice.pk)

    assert batch is not None
    made = list(
        EligibilityCheck.objects.filter(batch=batch).values_list("coverage_id", "service_date", "reason")
    )
    assert made == [(returning.pk, today + dt.timedelta(days=1), "scheduled")]
    assert batch.total == 1
