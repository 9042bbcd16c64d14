"""Prior-authorization services on a real database: create, update, usage, alerts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from audit.models import AuditEvent
from authorizations.models import AuthorizationAlert, AuthorizationUsage, AuthorizedCode, PriorAuthorization
from authorizations.services import (
    authorization_alerts_raise,
    authorization_create,
    authorization_update,
    authorization_usage_record,
    authorization_usage_remove,
)
from authorizations.tasks import authorization_alerts_task
from core.errors import NotFound, PermissionDenied, ValidationFailed
from tests.authorizations.conftest import TODAY
from tests.factories import PatientFactory, PayerFactory, ProviderFactory
from tests.factories.authorizations import AuthorizationUsageFactory, PriorAuthorizationFactory

pytestmark = pytest.mark.django_db

VALID = {
    "number": "kcc-2026-0042",
    "codes": ["97153", "97155"],
    "unit_kind": "units",
    "authorized": 480,
    "start_on": dt.date(2026, 1, 1),
    "end_on": dt.date(2026, 6, 30),
}


def _state():
    return (
        list(PriorAuthorization.objects.values_list("number", "status", "authorized").order_by("pk")),
        list(AuthorizedCode.objects.values_list("code", flat=True).order_by("pk")),
        AuditEvent.objects.filter(action="create").count(),
    )


# ---- create ----------------------------------------------------------------------------------------


def test_create_records_the_authorization_and_audits_it(biller_access, patient, payer):
    # given
    provider = ProviderFactory(practice=patient.practice, credential="BCBA")

    # when
    auth = authorization_create(
        access=biller_access,
        patient_id=patient.pk,
        payer_id=payer.pk,
        rendering_provider_id=provider.pk,
        notes=" Initial ABA authorization ",
        **VALID,
    )

    # then
    auth.refresh_from_db()
    assert (auth.number, auth.status, auth.authorized, auth.notes, auth.rendering_provider_id) == (
        "KCC-2026-0042",
        "active",
        480,
        "Initial ABA authorization",
        provider.pk,
    )
    assert list(auth.codes.values_list("code", flat=True)) == ["97153", "97155"]
    event = AuditEvent.objects.get(action="create")
    assert (event.category, event.patient_id, event.object_type, event.object_id) == (
        "billing",
        patient.pk,
        "prior_authorization",
        str(auth.pk),
    )


def test_an_authorization_entered_after_it_ended_is_expired(admin_access, patient, payer):
    auth = authorization_create(
        access=admin_access,
        patient_id=patient.pk,
        payer_id=payer.pk,
        **(VALID | {"start_on": dt.date(2025, 1, 1), "end_on": dt.date(2025, 12, 31)}),
    )
    assert auth.status == "expired"


@pytest.mark.parametrize(
    ("_case", "changes", "field"),
    [
        ("unknown code", {"codes": ["97153", "NOPE1"]}, "codes"),
        ("no codes", {"codes": []}, "codes"),
        ("dates reversed", {"end_on": dt.date(2025, 12, 1)}, "end_on"),
        ("zero authorized", {"authorized": 0}, "authorized"),
        ("bad number", {"number": "KCC 42"}, "number"),
    ],
)
def test_invalid_details_write_nothing(biller_access, patient, payer, _case, changes, field):
    before = _state()
    with pytest.raises(ValidationFailed) as error:
        authorization_create(
            access=biller_access, patient_id=patient.pk, payer_id=payer.pk, **(VALID | changes)
        )
    assert field in error.value.field_errors
    assert _state() == before


def test_parties_must_be_the_practices(biller_access, patient, payer, other_practice):
    # given
    before = _state()
    foreign_patient = PatientFactory(practice=other_practice)
    foreign_payer = PayerFactory(practice=other_practice)
    self_pay = PayerFactory(practice=patient.practice, kind="self_pay", payer_id="")
    foreign_provider = ProviderFactory(practice=other_practice)

    # then
    for kwargs, field in [
        ({"patient_id": foreign_patient.pk, "payer_id": payer.pk}, "patient_id"),
        ({"patient_id": patient.pk, "payer_id": foreign_payer.pk}, "payer_id"),
        ({"patient_id": patient.pk, "payer_id": self_pay.pk}, "payer_id"),
        (
            {"patient_id": patient.pk, "payer_id": payer.pk, "rendering_provider_id": foreign_provider.pk},
            "rendering_provider_id",
        ),
    ]:
        with pytest.raises(ValidationFailed) as error:
            authorization_create(access=biller_access, **kwargs, **VALID)
        assert list(error.value.field_errors) == [field]
    assert _state() == before


def test_an_authorization_number_is_unique_per_payer(biller_access, patient, payer):
    authorization_create(access=biller_access, patient_id=patient.pk, payer_id=payer.pk, **VALID)
    before = _state()
    with pytest.raises(ValidationFailed) as error:
        authorization_create(access=biller_access, patient_id=patient.pk, payer_id=payer.pk, **VALID)
    assert error.value.field_errors == {
        "number": ["This payer already has an authorization with this number."]
    }
    assert _state() == before


@pytest.mark.parametrize("role", ["technician", "clinician", "supervisor", "compliance"])
def test_only_billers_and_admins_record_authorizations(access_for, practice, patient, payer, role):
    before = _state()
    with pytest.raises(PermissionDenied):
        authorization_create(
            access=access_for(role, practice), patient_id=patient.pk, payer_id=payer.pk, **VALID
        )
    assert _state() == before


# ---- update ----------------------------------------------------------------------------------------


def test_cancel_and_reactivate(biller_access, practice):
    # given
    auth = PriorAuthorizationFactory(practice=practice)

    # when / then
    authorization_update(access=biller_access, authorization_id=auth.pk, status="cancelled")
    auth.refresh_from_db()
    assert auth.status == "cancelled"
    authorization_update(access=biller_access, authorization_id=auth.pk, status="active")
    auth.refresh_from_db()
    assert auth.status == "active"
    assert list(AuditEvent.objects.filter(action="update").values_list("detail", flat=True)) == [
        "fields=status",
        "fields=status",
    ]


def test_update_codes_amount_and_provider(biller_access, practice):
    # given
    auth = PriorAuthorizationFactory(practice=practice, codes=["97153", "97155"], rendering_provider=None)
    provider = ProviderFactory(practice=practice)

    # when
    authorization_update(
        access=biller_access,
        authorization_id=auth.pk,
        codes=["97155", "97156"],
        authorized=200,
        rendering_provider_id=provider.pk,
    )

    # then
    auth.refresh_from_db()
    assert sorted(auth.codes.values_list("code", flat=True)) == ["97155", "97156"]
    assert (auth.authorized, auth.rendering_provider_id) == (200, provider.pk)
    authorization_update(access=biller_access, authorization_id=auth.pk, rendering_provider_id=None)
    auth.refresh_from_db()
    assert auth.rendering_provider_id is None


def test_lowering_the_amount_below_usage_exhausts_it(biller_access, practice):
    auth = PriorAuthorizationFactory(practice=practice, authorized=100)
    AuthorizationUsageFactory(authorization=auth, units=60)
    authorization_update(access=biller_access, authorization_id=auth.pk, authorized=60)
    auth.refresh_from_db()
    assert auth.status == "exhausted"


def test_status_follows_the_dates_not_the_person(biller_access, practice):
    auth = PriorAuthorizationFactory(practice=practice)
    before = list(PriorAuthorization.objects.values_list("status", flat=True))
    with pytest.raises(ValidationFailed) as error:
        authorization_update(access=biller_access, authorization_id=auth.pk, status="exhausted")
    assert list(error.value.field_errors) == ["status"]
    assert list(PriorAuthorization.objects.values_list("status", flat=True)) == before


def test_update_another_practices_authorization_is_not_found(biller_access, other_practice):
    auth = PriorAuthorizationFactory(practice=other_practice)
    with pytest.raises(NotFound):
        authorization_update(access=biller_access, authorization_id=auth.pk, authorized=1)
    auth.refresh_from_db()
    assert auth.authorized == 100


# ---- usage from charges ----------------------------------------------------------------------------


def test_usage_record_is_idempotent_per_source(practice):
    # given
    auth = PriorAuthorizationFactory(practice=practice, authorized=40)

    # when: the same charge recorded twice, inside the caller's own transaction
    for _ in range(2):
        with transaction.atomic(durable=True):
            authorization_usage_record(
                auth_id=auth.pk, source_id="charge-line:7", units=8, on=TODAY, code="97153"
            )

    # then
    assert list(AuthorizationUsage.objects.values_list("source_id", "code", "units", "service_date")) == [
        ("charge-line:7", "97153", 8, TODAY)
    ]


def test_usage_record_replaces_changed_units(practice):
    auth = PriorAuthorizationFactory(practice=practice)
    authorization_usage_record(auth_id=auth.pk, source_id=42, units=8, on=TODAY)
    authorization_usage_record(auth_id=auth.pk, source_id="42", units=6, on=TODAY)
    assert list(AuthorizationUsage.objects.values_list("source_id", "units")) == [("42", 6)]


def test_usage_exhausts_and_removal_gives_back(practice):
    # given
    auth = PriorAuthorizationFactory(practice=practice, authorized=8)

    # when / then
    authorization_usage_record(auth_id=auth.pk, source_id="charge-line:1", units=8, on=TODAY)
    auth.refresh_from_db()
    assert auth.status == "exhausted"
    assert authorization_usage_remove(auth_id=auth.pk, source_id="charge-line:1") is True
    auth.refresh_from_db()
    assert auth.status == "active"
    assert authorization_usage_remove(auth_id=auth.pk, source_id="charge-line:1") is False


@pytest.mark.parametrize(
    ("_case", "kwargs", "field"),
    [
        ("outside the dates", {"on": dt.date(2026, 7, 1)}, "on"),
        ("code not authorized", {"code": "90837"}, "code"),
        ("no units", {"units": 0}, "units"),
    ],
)
def test_invalid_usage_writes_nothing(practice, _case, kwargs, field):
    auth = PriorAuthorizationFactory(practice=practice)
    arguments = {
        "auth_id": auth.pk,
        "source_id": "charge-line:9",
        "units": 4,
        "on": TODAY,
        "code": "97153",
    } | kwargs
    with pytest.raises(ValidationFailed) as error:
        authorization_usage_record(**arguments)
    assert list(error.value.field_errors) == [field]
    assert AuthorizationUsage.objects.count() == 0


def test_usage_on_a_cancelled_authorization_is_refused(practice):
    auth = PriorAuthorizationFactory(practice=practice, status="cancelled")
    with pytest.raises(ValidationFailed):
        authorization_usage_record(auth_id=auth.pk, source_id="charge-line:9", units=4, on=TODAY)
    assert AuthorizationUsage.objects.count() == 0


def test_usage_for_a_missing_authorization(db):
    with pytest.raises(NotFound):
        authorization_usage_record(auth_id=987_654, source_id="charge-line:9", units=4, on=TODAY)


# ---- daily alerts ----------------------------------------------------------------------------------


def _alerts():
    return sorted(
        AuthorizationAlert.objects.values_list("authorization__number", "kind", "raised_on", "message")
    )


def test_alerts_are_raised_once_a_day(practice):
    # given: 20% left (alerts); 21% left (does not); ends in exactly 14 days; ends in 15
    low = PriorAuthorizationFactory(practice=practice, number="LOW", authorized=100)
    AuthorizationUsageFactory(authorization=low, units=80)
    fine = PriorAuthorizationFactory(practice=practice, number="FINE", authorized=100)
    AuthorizationUsageFactory(authorization=fine, units=79)
    PriorAuthorizationFactory(practice=practice, number="ENDING", end_on=TODAY + dt.timedelta(days=14))
    PriorAuthorizationFactory(practice=practice, number="LATER", end_on=TODAY + dt.timedelta(days=15))
    PriorAuthorizationFactory(practice=practice, number="GONE", status="cancelled", authorized=1)

    # when
    first = authorization_alerts_raise()
    second = authorization_alerts_raise()

    # then
    assert (first, second) == (2, 0)
    assert _alerts() == [
        ("ENDING", "expiring", TODAY, "Ends on Mon 16 Mar 2026 (14 days)."),
        ("LOW", "low_remaining", TODAY, "20 of 100 units left."),
    ]


def test_the_next_day_raises_again_and_expires_ended_ones(practice):
    # given
    ending = PriorAuthorizationFactory(practice=practice, number="ENDING", end_on=TODAY)
    authorization_alerts_raise(today=TODAY)

    # when
    created = authorization_alerts_raise(today=TODAY + dt.timedelta(days=1))

    # then: the day after its end it is expired and raises nothing new
    assert created == 0
    ending.refresh_from_db()
    assert ending.status == "expired"
    assert _alerts() == [("ENDING", "expiring", TODAY, "Ends on Mon 2 Mar 2026 (0 days).")]


def test_alerts_task_runs_the_service_idempotently(practice):
    auth = PriorAuthorizationFactory(practice=practice, authorized=10)
    AuthorizationUsageFactory(authorization=auth, units=9)
    assert authorization_alerts_task.apply().get() == 1
    assert authorization_alerts_task.apply().get() == 0
    assert AuthorizationAlert.objects.count() == 1
