"""Authorization reads: burn-down from charges and the schedule, audit, and the claims side's look-ups."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from authorizations.models import PriorAuthorization
from authorizations.selectors import (
    authorization_facts_for,
    authorization_get,
    authorization_list,
    authorization_match,
    authorization_number_for,
)
from core.errors import NotFound, PermissionDenied
from payer_rules.demo_rules import MEDICAID
from tests.authorizations.conftest import TODAY
from tests.factories import PatientFactory, ProviderFactory
from tests.factories.authorizations import (
    AuthorizationUsageFactory,
    PayerRuleSetFactory,
    PriorAuthorizationFactory,
)
from tests.factories.scheduling import AppointmentFactory
from tests.query_counts import queries_of

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int = 15) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=dt.UTC)


@pytest.fixture
def aba(practice, patient, payer):
    """An authorization of 120 units of 97153, 40 used, two technician sessions of 2 hours booked,
    under the MCO's rules (a technician's 97153 stays 97153, with the supervisor on the claim)."""
    PayerRuleSetFactory(payer=payer, effective_from=dt.date(2025, 1, 1), rules=MEDICAID.rules)
    tech = ProviderFactory(practice=practice, credential="RBT")
    auth = PriorAuthorizationFactory(
        practice=practice, patient=patient, payer=payer, number="ABA-1", authorized=120, codes=["97153"]
    )
    AuthorizationUsageFactory(authorization=auth, units=24, service_date=dt.date(2026, 2, 2))
    AuthorizationUsageFactory(authorization=auth, units=16, service_date=dt.date(2026, 2, 20))
    for day in (dt.date(2026, 3, 4), dt.date(2026, 3, 11)):
        start = _at(day)
        AppointmentFactory(
            practice=practice,
            patient=patient,
            provider=tech,
            service_type="aba_technician_treatment",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
        )
    return auth


def test_list_rows_burn_down_from_charges_and_the_schedule(biller_access, aba):
    # when
    (row,) = authorization_list(access=biller_access).rows

    # then: 2 hours of 97153 = 8 units each (the payer's CPT midpoint rule)
    assert (row.number, row.used, row.planned, row.remaining, row.status.value) == (
        "ABA-1",
        40,
        16,
        80,
        "active",
    )
    assert (row.burn.used_percent, row.burn.planned_percent, row.burn.remaining_percent) == (33, 13, 54)
    assert row.alerts == ()
    event = AuditEvent.objects.get(action="list", category="billing")
    assert event.detail == "view=authorizations;results=1;total=1;filters=none"


def test_planned_units_follow_the_payers_rules_on_the_date(biller_access, aba, payer):
    # given: from 2026-03-10 the payer bills a technician's 97153 as H2019 (not authorized here)
    payer.rule_sets.update(effective_to=dt.date(2026, 3, 9))
    PayerRuleSetFactory(
        payer=payer,
        effective_from=dt.date(2026, 3, 10),
        rules={
            "coding": {
                "code_substitutions": [{"from_code": "97153", "to_code": "H2019", "credentials": ["RBT"]}]
            }
        },
    )

    # then: only the 03-04 session counts against the 97153 authorization
    (row,) = authorization_list(access=biller_access).rows
    assert row.planned == 8


def test_planned_skips_other_providers_and_cancelled_appointments(biller_access, aba, practice, patient):
    # given
    aba.rendering_provider = ProviderFactory(practice=practice, credential="BCBA")
    aba.save(update_fields=["rendering_provider"])
    start = _at(dt.date(2026, 3, 5))
    AppointmentFactory(
        practice=practice,
        patient=patient,
        provider=aba.rendering_provider,
        service_type="aba_technician_treatment",
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
    )
    AppointmentFactory(
        practice=practice,
        patient=patient,
        provider=aba.rendering_provider,
        service_type="aba_technician_treatment",
        starts_at=start + dt.timedelta(hours=2),
        ends_at=start + dt.timedelta(hours=3),
        status="cancelled",
    )

    # then: only the BCBA's booked 30 minutes (2 units) count
    (row,) = authorization_list(access=biller_access).rows
    assert row.planned == 2


def test_list_query_count(biller_access, aba, django_assert_num_queries):
    # given: the audit chain already has a head
    authorization_list(access=biller_access)

    # then: zone, the matching ids (one query of facts), authorizations, codes, usages, the
    # schedule (zone, appointments), credentials, the payer's rules (payer, versions), the audit
    # event (savepoint, lock head, insert, update, release)
    with django_assert_num_queries(15):
        authorization_list(access=biller_access)


def test_list_filters(biller_access, practice, patient, payer, aba):
    # given
    other_patient = PatientFactory(practice=practice)
    low = PriorAuthorizationFactory(
        practice=practice, patient=other_patient, payer=payer, number="LOW", authorized=10
    )
    AuthorizationUsageFactory(authorization=low, units=9)
    PriorAuthorizationFactory(
        practice=practice, patient=patient, payer=payer, number="OLD", end_on=dt.date(2026, 2, 28)
    )

    # then
    def numbers(**filters):
        return [r.number for r in authorization_list(access=biller_access, **filters).rows]

    assert numbers() == ["OLD", "ABA-1", "LOW"]
    assert numbers(patient_id=patient.pk) == ["OLD", "ABA-1"]
    assert numbers(status="expired") == ["OLD"]
    assert numbers(alerting=True) == ["LOW"]
    assert numbers(payer_id=payer.pk, status="active") == ["ABA-1", "LOW"]


def test_list_is_scoped_to_the_practice(biller_access, other_practice):
    PriorAuthorizationFactory(practice=other_practice)
    assert authorization_list(access=biller_access).rows == []


def test_a_status_filter_finds_rows_past_the_first_500_and_pages_them(
    biller_access, practice, patient, payer
):
    # given: 520 active authorizations ending first (the old list stopped at 500), then 3 exhausted
    PriorAuthorization.objects.bulk_create(
        PriorAuthorizationFactory.build(
            practice=practice,
            patient=patient,
            payer=payer,
            number=f"A{i:04d}",
            start_on=dt.date(2026, 1, 1),
            end_on=dt.date(2026, 6, 1) + dt.timedelta(days=i % 30),
            authorized=100,
        )
        for i in range(520)
    )
    exhausted = [
        PriorAuthorizationFactory(
            practice=practice,
            patient=patient,
            payer=payer,
            number=f"X{i}",
            start_on=dt.date(2026, 1, 1),
            end_on=dt.date(2026, 12, 1),
            authorized=10,
        )
        for i in range(3)
    ]
    for auth in exhausted:
        AuthorizationUsageFactory(authorization=auth, units=10)
    # when
    first = authorization_list(access=biller_access, status="exhausted", limit=2)
    second = authorization_list(access=biller_access, status="exhausted", limit=2, offset=2)
    everything = authorization_list(access=biller_access, limit=50, offset=500)
    # then
    assert ([r.number for r in first.rows], first.total) == (["X0", "X1"], 3)
    assert ([r.number for r in second.rows], second.total) == (["X2"], 3)
    assert (everything.total, len(everything.rows), everything.rows[-1].number) == (523, 23, "X2")


def test_the_list_runs_the_same_queries_for_1_or_80_authorizations(
    biller_access, practice, patient, payer, aba
):
    authorization_list(access=biller_access)
    few = queries_of(lambda: authorization_list(access=biller_access))
    for i in range(80):
        PriorAuthorizationFactory(practice=practice, patient=patient, payer=payer, number=f"N{i}")
    assert queries_of(lambda: authorization_list(access=biller_access)) == few == 15
    assert len(authorization_list(access=biller_access).rows) == 50


@pytest.mark.parametrize("role", ["technician", "clinician", "compliance"])
def test_list_needs_billing_view(access_for, practice, role):
    with pytest.raises(PermissionDenied):
        authorization_list(access=access_for(role, practice))
    assert AuditEvent.objects.get(action="list").outcome == "denied"


def test_detail_with_history_planned_forecast_and_audit(biller_access, aba, patient):
    # when
    detail = authorization_get(access=biller_access, authorization_id=aba.pk)

    # then
    assert [(u.usage.date, u.usage.units) for u in detail.used] == [
        (dt.date(2026, 2, 2), 24),
        (dt.date(2026, 2, 20), 16),
    ]
    assert [(p.usage.date, p.usage.units, p.usage.code) for p in detail.planned] == [
        (dt.date(2026, 3, 4), 8, "97153"),
        (dt.date(2026, 3, 11), 8, "97153"),
    ]
    # 16 units in the last 28 days (0.6 a day): after the 03-11 session, 64 left take 112 more days
    assert detail.row.forecast_exhausted_on is None  # beyond the end date (2026-06-30)
    assert detail.daily_rate == "0.6 units a day over the last 4 weeks"
    event = AuditEvent.objects.get(action="view")
    assert (event.category, event.patient_id, event.object_id) == ("billing", patient.pk, str(aba.pk))


def test_detail_forecast_inside_the_dates(biller_access, practice, patient, payer):
    auth = PriorAuthorizationFactory(practice=practice, patient=patient, payer=payer, authorized=40)
    AuthorizationUsageFactory(authorization=auth, units=28, service_date=TODAY - dt.timedelta(days=3))
    # 28 units in the last 28 days: 1 a day; 12 left -> 12 days
    assert authorization_get(
        access=biller_access, authorization_id=auth.pk
    ).row.forecast_exhausted_on == dt.date(2026, 3, 14)


def test_detail_of_another_practice_is_not_found_and_audited(biller_access, other_practice):
    auth = PriorAuthorizationFactory(practice=other_practice)
    with pytest.raises(NotFound):
        authorization_get(access=biller_access, authorization_id=auth.pk)
    event = AuditEvent.objects.get(practice_id=biller_access.practice_id)
    assert (event.action, event.outcome, event.patient_id) == ("view", "denied", None)
    # and where the owning practice's auditor sees it
    copy = AuditEvent.objects.get(practice_id=other_practice.pk)
    assert (copy.action, copy.outcome, copy.patient_id, copy.actor_username) == (
        "view",
        "denied",
        auth.patient_id,
        event.actor_username,
    )


# ---- for the claims side ---------------------------------------------------------------------------


def test_facts_and_the_number_for_the_claim(aba, patient, payer):
    # when
    (facts,) = authorization_facts_for(patient_id=patient.pk, payer_id=payer.pk)

    # then
    assert (facts.number, facts.used, facts.remaining, facts.codes) == ("ABA-1", 40, 80, frozenset({"97153"}))
    assert (
        authorization_number_for(patient_id=patient.pk, payer_id=payer.pk, code="97153", on=TODAY) == "ABA-1"
    )
    assert authorization_number_for(patient_id=patient.pk, payer_id=payer.pk, code="97155", on=TODAY) is None
    assert (
        authorization_number_for(
            patient_id=patient.pk, payer_id=payer.pk, code="97153", on=dt.date(2026, 7, 1)
        )
        is None
    )


def test_match_reports_too_few_units(aba, patient, payer):
    check = authorization_match(patient_id=patient.pk, payer_id=payer.pk, code="97153", on=TODAY, units=81)
    assert (check.number, [p.code for p in check.problems]) == ("ABA-1", ["auth_units_exceeded"])
    assert AuditEvent.objects.count() == 0  # a system read


def test_match_without_any_authorization(db, patient, payer):
    check = authorization_match(patient_id=patient.pk, payer_id=payer.pk, code="H2019", on=TODAY)
    assert (check.authorization, [p.code for p in check.problems]) == (None, ["auth_missing"])
