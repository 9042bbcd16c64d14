"""Caps per code or group on a real database: entered through the form and the API, kept on
edit, and followed by the burn-down, the forecast and the claims side's facts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from authorizations.domain.types import CapDetails
from authorizations.models import AuthorizationCap, PriorAuthorization
from authorizations.selectors import authorization_caps, authorization_facts_for, authorization_get
from authorizations.services import authorization_create, authorization_update
from core.errors import ValidationFailed
from tests.factories.authorizations import AuthorizationUsageFactory

pytestmark = pytest.mark.django_db

VALID = {
    "number": "KCC-CAP-1",
    "codes": ["97153", "97155", "97156"],
    "unit_kind": "units",
    "authorized": 200,
    "start_on": dt.date(2026, 1, 1),
    "end_on": dt.date(2026, 6, 30),
}


@pytest.fixture
def capped(biller_access, patient, payer):
    auth = authorization_create(
        access=biller_access,
        patient_id=patient.pk,
        payer_id=payer.pk,
        caps=[CapDetails(("97155",), 24), CapDetails(("97156", "97153"), 150)],
        **VALID,
    )
    for day, code, units in ((dt.date(2026, 2, 2), "97155", 8), (dt.date(2026, 2, 16), "97155", 12)):
        AuthorizationUsageFactory(
            authorization=auth, source_id=f"charge-line:{day.day}", code=code, units=units, service_date=day
        )
    AuthorizationUsageFactory(
        authorization=auth,
        source_id="charge-line:99",
        code="97153",
        units=30,
        service_date=dt.date(2026, 2, 20),
    )
    return auth


def test_caps_are_stored_and_read_back_in_order(capped):
    assert authorization_caps(PriorAuthorization.objects.get(pk=capped.pk)) == (
        CapDetails(("97155",), 24),
        CapDetails(("97153", "97156"), 150),
    )


def test_the_claims_side_sees_each_caps_usage(capped, patient, payer):
    (facts,) = authorization_facts_for(patient_id=patient.pk, payer_id=payer.pk)

    assert (facts.used, [(sorted(c.codes), c.units, c.used) for c in facts.caps]) == (
        50,
        [(["97155"], 24, 20), (["97153", "97156"], 150, 30)],
    )
    assert [facts.remaining_for(code) for code in ("97153", "97155", "97156")] == [120, 4, 120]


def test_burn_down_and_forecast_per_cap(capped, biller_access):
    detail = authorization_get(access=biller_access, authorization_id=capped.pk)

    cap = detail.row.caps[0]
    assert (cap.label, cap.burn.authorized, cap.burn.used, cap.burn.remaining) == ("97155", 24, 20, 4)
    # 12 units of 97155 in the 28 days to 2026-03-02 (the 8 of 2026-02-02 are older): 3/7 a day,
    # so the 4 left last 10 days (9.3 rounded up), long before the total (150 left at 1.5 a day)
    assert cap.forecast_exhausted_on == dt.date(2026, 3, 12)
    assert detail.row.forecast_exhausted_on == dt.date(2026, 6, 10)
    assert detail.row.exhausted_on == dt.date(2026, 3, 12)


def test_the_screen_forecasts_the_cap_that_runs_out_first(capped, web):
    page = web.get(reverse("authorizations:detail", args=[capped.pk]))

    assert page.context["auth"].forecast == "The 97155 cap runs out about Thu 12 Mar 2026"
    assert [c.forecast for c in page.context["auth"].caps] == [
        "Runs out about Thu 12 Mar 2026",
        "Runs out about Mon 22 Jun 2026",  # 120 left of 150 at 30 units in the last 28 days
    ]


def test_editing_keeps_caps_unless_given_and_drops_a_code_from_its_cap(capped, biller_access):
    authorization_update(access=biller_access, authorization_id=capped.pk, notes="renewed")
    assert len(authorization_caps(PriorAuthorization.objects.get(pk=capped.pk))) == 2

    authorization_update(access=biller_access, authorization_id=capped.pk, caps=[CapDetails(("97155",), 30)])
    assert authorization_caps(PriorAuthorization.objects.get(pk=capped.pk)) == (CapDetails(("97155",), 30),)
    assert AuthorizationCap.objects.filter(authorization=capped).count() == 1


def test_a_bad_cap_changes_nothing(capped, biller_access):
    with pytest.raises(ValidationFailed) as raised:
        authorization_update(
            access=biller_access, authorization_id=capped.pk, caps=[CapDetails(("97155",), 201)]
        )

    assert raised.value.field_errors == {
        "caps": ["Cap 1 (97155): a cap is between 1 and the authorized total (200)."]
    }
    assert len(authorization_caps(PriorAuthorization.objects.get(pk=capped.pk))) == 2


# ---- screens and API ---------------------------------------------------------------------------------


@pytest.fixture
def web(practice, make_member, client_for):
    return client_for(make_member("biller", practice))


def form_data(patient, payer, caps: str) -> dict[str, object]:
    return {
        "patient_id": patient.pk,
        "payer_id": payer.pk,
        "number": "KCC-77",
        "codes": "97153, 97155",
        "unit_kind": "units",
        "authorized": "240",
        "caps": caps,
        "start_on": "2026-03-01",
        "end_on": "2026-08-31",
    }


def test_the_form_takes_caps_one_a_line(web, patient, payer):
    response = web.post(reverse("authorizations:create"), form_data(patient, payer, "97155: 24\r\n"))

    auth = PriorAuthorization.objects.get()
    assert response.status_code == 302
    assert authorization_caps(auth) == (CapDetails(("97155",), 24),)
    page = web.get(reverse("authorizations:detail", args=[auth.pk])).content.decode()
    assert 'id="auth-caps"' in page
    assert "0 used · 0 planned · 24 left of 24 units" in page
    assert "97155: at most 24" in web.get(reverse("authorizations:list")).content.decode()
    edit = web.get(reverse("authorizations:edit", args=[auth.pk]))
    assert edit.context["form"].initial["caps"] == "97155: 24"


@pytest.mark.parametrize(
    ("caps", "error"),
    [
        ("97155 24", 'Cap line 1: write the codes, a colon and the units, like "97155: 30".'),
        ("90837: 10", "Cap 1 (90837): 90837 is not one of the authorized codes."),
    ],
)
def test_the_form_shows_cap_errors(web, patient, payer, caps, error):
    response = web.post(reverse("authorizations:create"), form_data(patient, payer, caps))

    assert response.status_code == 400
    assert response.context["form"].errors["caps"] == [error]
    assert PriorAuthorization.objects.count() == 0


def test_the_api_takes_and_returns_caps(web, patient, payer):
    body = {
        "patient_id": patient.pk,
        "payer_id": payer.pk,
        "number": "KCC-API-1",
        "codes": ["97153", "97155"],
        "authorized": 100,
        "start_on": "2026-03-01",
        "end_on": "2026-08-31",
        "caps": [{"codes": ["97155"], "units": 24}],
    }

    response = web.post(
        reverse("authorizations_api:authorization_create"), body, content_type="application/json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["caps"] == [
        {
            "codes": ["97155"],
            "units": 24,
            "used": 0,
            "planned": 0,
            "remaining": 24,
            "forecast_exhausted_on": None,
        }
    ]
    auth_id = response.json()["id"]
    changed = web.post(
        reverse("authorizations_api:authorization_update", args=[auth_id]),
        {"caps": []},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert changed.json()["caps"] == []
