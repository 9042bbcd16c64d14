"""The verification workflow through the services, in-process (the sandbox payer answers)."""

from __future__ import annotations

import contextlib
import datetime as dt
import re

import pytest
from django.db import IntegrityError, connection, transaction

from clearinghouse.sandbox import SANDBOX_MEMBERS
from core.models import BackgroundJob
from eligibility import services
from eligibility.models import EligibilityCheck, EligibilityExchange, ExchangeImmutable
from tests.eligibility.world import make_world

pytestmark = pytest.mark.django_db

Status = EligibilityCheck.Status
DOS = dt.date(2026, 3, 10)


@pytest.fixture
def world(make_member):  # type: ignore[no-untyped-def]
    return make_world(make_member)


def verify(world, coverage, *, day=DOS, force=False, run=True, capture=None):  # type: ignore[no-untyped-def]
    check = services.eligibility_verify_now(
        access=world.access, coverage_id=coverage.pk, service_date=day, force=force
    )
    if run:
        with contextlib.suppress(services.CheckRetry):
            services.eligibility_check_run(check_id=check.pk)
    check.refresh_from_db()
    return check


@pytest.mark.parametrize(
    ("member_id", "status", "coverage", "lines"),
    [
        ("SBX1001", "done", "covered", ["$20.00 copay per visit", "$500.00 of $500.00 deductible left", "$2,750.00 of $3,000.00 out-of-pocket maximum left"]),
        ("SBX1002", "done", "covered", ["$30.00 copay per visit"]),
        ("SBX1003", "done", "covered", ["$1,850.00 of $3,000.00 deductible left", "20% coinsurance", "$4,850.00 of $6,000.00 out-of-pocket maximum left"]),
        ("SBX1004", "done", "covered", ["20% coinsurance"]),
        ("SBX1005", "done", "covered", ["$25.00 copay per visit", "28 of 30 visits used"]),
        ("SBX1006", "done", "covered", ["$20.00 copay per visit", "Prior authorization required"]),
        ("SBX1007", "done", "inactive", []),
        ("SBX1008", "done", "rejected", []),
        ("SBX1009", "failed_transient", "", []),
        ("SBX1010", "failed_transient", "", []),
        ("SBX1011", "done", "covered", ["Mental health benefits administered by SANDBOX BEHAVIORAL HEALTH: check eligibility with them for copays, deductibles and limits."]),
        ("SBX1012", "done", "covered", ["General plan coverage; benefits for service type MH were not returned."]),
        ("SBX1013", "done", "at_risk", ["Active; the payer returned no copay, deductible or limits for this service."]),
    ],
)  # fmt: skip
def test_every_sandbox_scenario(world, member_id, status, coverage, lines):  # type: ignore[no-untyped-def]
    from eligibility.selectors import check_summary_lines

    check = verify(world, world.coverage(member_id))

    assert check.status == status
    assert check.coverage_status == coverage
    assert check_summary_lines(check) == lines
    assert check.exchanges.count() == 1
    assert check.is_sandbox is True


def test_every_sandbox_member_is_in_the_scenario_table():
    assert set(SANDBOX_MEMBERS) == {f"SBX{n}" for n in range(1001, 1014)}


def test_the_270_carries_the_appointment_date_not_today_or_the_policy_start(world):  # type: ignore[no-untyped-def]
    # E6: appointment on 2026-03-10, policy effective 2024-01-01
    coverage = world.coverage("SBX1001", effective_on=dt.date(2024, 1, 1))
    appointment = world.appointment(coverage, DOS)
    check = services.eligibility_verify_now(access=world.access, appointment_id=appointment.pk)
    services.eligibility_check_run(check_id=check.pk)

    raw = check.exchanges.get().request_x12
    assert "DTP*291*D8*20260310~" in raw
    assert check.service_date == DOS
    assert check.reason == EligibilityCheck.Reason.BEFORE_SESSION


def test_the_service_type_comes_from_the_payer_rule_one_per_request_by_default(world):  # type: ignore[no-untyped-def]
    check = verify(world, world.coverage("SBX1001"))
    raw = check.exchanges.get().request_x12
    assert re.findall(r"EQ\*([^~*]+)", raw) == ["MH"]
    assert check.service_types == ["MH"]


def test_the_same_coverage_and_date_is_checked_once_unless_verified_again(world):  # type: ignore[no-untyped-def]
    coverage = world.coverage("SBX1001")
    first = verify(world, coverage)
    second = services.eligibility_verify_now(access=world.access, coverage_id=coverage.pk, service_date=DOS)
    assert second.pk == first.pk
    assert BackgroundJob.objects.filter(key__startswith="eligibility.check:").count() == 1

    again = verify(world, coverage, force=True)
    assert again.pk != first.pk
    assert again.sequence == 1
    assert EligibilityCheck.objects.filter(coverage=coverage).count() == 2


def test_verify_again_while_a_check_is_queued_returns_that_check(world):  # type: ignore[no-untyped-def]
    coverage = world.coverage("SBX1001")
    queued = verify(world, coverage, run=False)
    again = verify(world, coverage, force=True, run=False)
    assert again.pk == queued.pk


def test_a_rerun_of_a_finished_check_changes_nothing(world):  # type: ignore[no-untyped-def]
    check = verify(world, world.coverage("SBX1001"))
    services.eligibility_check_run(check_id=check.pk)
    assert check.exchanges.count() == 1


def test_control_numbers_are_never_reused(world):  # type: ignore[no-untyped-def]
    # E7: ISA13 from a database counter, unique across checks
    checks = [verify(world, world.coverage("SBX1002"), day=DOS + dt.timedelta(days=n)) for n in range(3)]
    numbers = [c.exchanges.get().interchange_control_number for c in checks]
    assert len(set(numbers)) == 3
    isa13 = [c.exchanges.get().request_x12.split("*")[13] for c in checks]
    assert [int(n) for n in isa13] == numbers
    assert len({c.trace_number for c in checks}) == 3


def test_transient_failures_retry_and_give_up_after_the_last_attempt(world):  # type: ignore[no-untyped-def]
    # E4: AAA 42 is "payer unavailable, retry", never inactive
    coverage = world.coverage("SBX1009")
    check = verify(world, coverage, run=False)
    for attempt in range(1, 5):
        with pytest.raises(services.CheckRetry):
            services.eligibility_check_run(check_id=check.pk)
        check.refresh_from_db()
        assert check.status == Status.FAILED_TRANSIENT
        assert check.attempts == attempt
        assert check.coverage_status == ""
    services.eligibility_check_run(check_id=check.pk)  # the fifth: no retry left
    check.refresh_from_db()
    assert check.status == Status.FAILED_PERMANENT
    assert "Gave up after 5 attempts" in check.error_message
    assert check.exchanges.count() == 5
    assert all("AAA*N**42" in x.response_x12 for x in check.exchanges.all())


def test_a_transient_failure_through_the_job_schedules_a_retry_with_backoff(
    world, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    coverage = world.coverage("SBX1010")
    with django_capture_on_commit_callbacks(execute=True):
        check = services.eligibility_verify_now(
            access=world.access, coverage_id=coverage.pk, service_date=DOS
        )
    job = BackgroundJob.objects.get(key=f"eligibility.check:{check.pk}")
    assert job.status == BackgroundJob.Status.PENDING
    assert job.attempts == 1
    assert "HTTP 503" in job.last_error
    check.refresh_from_db()
    assert check.status == Status.FAILED_TRANSIENT


def test_a_permanent_failure_is_recorded_and_never_retried(world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    coverage = world.coverage("SBX1008")
    with django_capture_on_commit_callbacks(execute=True):
        check = services.eligibility_verify_now(
            access=world.access, coverage_id=coverage.pk, service_date=DOS
        )
    job = BackgroundJob.objects.get(key=f"eligibility.check:{check.pk}")
    assert job.status == BackgroundJob.Status.DONE
    check.refresh_from_db()
    assert check.status == Status.DONE
    assert check.coverage_status == "rejected"
    # E3: lossless AAA error: code, description, loop and follow-up kept
    error = check.summary["errors"][0]
    assert (error["code"], error["loop"], error["level"]) == ("75", "2100C", "subscriber")
    assert error["follow_up"]


def test_a_member_id_with_forbidden_characters_fails_permanently_without_sending(world):  # type: ignore[no-untyped-def]
    coverage = world.coverage("SBX*1001")
    check = verify(world, coverage)
    assert check.status == Status.FAILED_PERMANENT
    assert "member" in check.error_message.lower()
    assert check.exchanges.get().request_x12 == ""


def test_a_271_for_another_inquiry_is_stored_and_changes_nothing_else(world, monkeypatch):  # type: ignore[no-untyped-def]
    import clearinghouse.sandbox as sandbox

    coverage = world.coverage("SBX1001")
    good = verify(world, coverage)
    real = sandbox.respond_271
    monkeypatch.setattr(
        sandbox, "respond_271", lambda x270: re.sub(r"TRN\*2\*PRTY\d+", "TRN*2*OTHER12345", real(x270))
    )
    bad = verify(world, coverage, force=True)
    assert bad.status == Status.FAILED_PERMANENT
    assert "trace" in bad.error_message.lower()
    assert "OTHER12345" in bad.exchanges.get().response_x12
    assert bad.summary == {}
    good.refresh_from_db()
    assert good.status == Status.DONE


def test_what_changed_since_the_previous_check_raises_alerts(world, monkeypatch):  # type: ignore[no-untyped-def]
    import clearinghouse.sandbox as sandbox

    coverage = world.coverage("SBX1005")  # 2 of 30 visits left
    first = verify(world, coverage)
    assert first.changes == []
    monkeypatch.setattr(sandbox, "scenario_for", lambda member_id: sandbox.Scenario.INACTIVE)
    second = verify(world, coverage, force=True)
    assert second.changes == [
        {"kind": "coverage_ended", "message": f"Coverage ended: {second.summary['reason']}", "alert": True}
    ]
    assert second.has_alert is True


def test_raw_exchanges_are_immutable(world):  # type: ignore[no-untyped-def]
    check = verify(world, world.coverage("SBX1001"))
    exchange = check.exchanges.get()
    with pytest.raises(ExchangeImmutable):
        exchange.save()
    with pytest.raises(ExchangeImmutable):
        exchange.delete()
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            EligibilityExchange.objects.filter(pk=exchange.pk).update(response_x12="edited")


def test_only_billers_and_admins_may_verify(world, make_member):  # type: ignore[no-untyped-def]
    from core.errors import PermissionDenied
    from practice.access import practice_access_for

    coverage = world.coverage("SBX1001")
    access = practice_access_for(user=world.clinician, practice_id=world.practice.pk)
    with pytest.raises(PermissionDenied):
        services.eligibility_verify_now(access=access, coverage_id=coverage.pk, service_date=DOS)  # type: ignore[arg-type]
    assert not EligibilityCheck.objects.exists()


def test_enrollment_required_warns_before_sending(world):  # type: ignore[no-untyped-def]
    # E9: the payer's rules say eligibility needs enrollment; the session's provider is not enrolled
    from payer_rules.models import PayerRuleSet

    PayerRuleSet.objects.create(
        payer=world.payer,
        effective_from=dt.date(2026, 1, 1),
        rules={"eligibility": {"enrollment_required": True}},
    )
    coverage = world.coverage("SBX1001")
    appointment = world.appointment(coverage, DOS)
    check = services.eligibility_verify_now(access=world.access, appointment_id=appointment.pk)
    assert len(check.warnings) == 1
    assert "enrollment" in check.warnings[0]
