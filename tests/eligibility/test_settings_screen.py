"""The practice's eligibility settings screen: admins choose the clearinghouse and the morning
batch's rules; everyone else is refused before the form is read."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent
from eligibility.forms import EligibilitySettingsForm
from eligibility.models import EligibilitySettings
from eligibility.selectors import clearinghouse_choices
from practice.models import SftpConnection
from tests.eligibility.world import make_world

URL = "/eligibility/settings/"
VALID = {"clearinghouse": "", "days_ahead": "7", "reverify_after_days": "30", "appointment_gap_days": "60"}


@pytest.fixture
def world(make_member):  # type: ignore[no-untyped-def]
    return make_world(make_member)


@pytest.fixture
def admin(world, make_member):  # type: ignore[no-untyped-def]
    return make_member("practice_admin", world.practice)


def test_the_url_is_the_settings_route():
    assert reverse("eligibility:settings") == URL


@pytest.mark.parametrize(
    ("field", "value", "valid"),
    [
        ("days_ahead", "0", True),
        ("days_ahead", "-1", False),
        ("days_ahead", "30", True),
        ("days_ahead", "31", False),
        ("reverify_after_days", "1", True),
        ("reverify_after_days", "0", False),
        ("reverify_after_days", "365", True),
        ("reverify_after_days", "366", False),
        ("appointment_gap_days", "1", True),
        ("appointment_gap_days", "0", False),
        ("appointment_gap_days", "730", True),
        ("appointment_gap_days", "731", False),
        ("clearinghouse", "sftp", True),
        ("clearinghouse", "nowhere", False),
    ],
)
def test_the_form_bounds(field: str, value: str, valid: bool) -> None:
    form = EligibilitySettingsForm({**VALID, field: value}, clearinghouse_choices=clearinghouse_choices())
    assert form.is_valid() is valid, form.errors


@override_settings(DEBUG=False, ELIGIBILITY_SANDBOX_ALLOWED=False, ELIGIBILITY_CLEARINGHOUSE="sftp")
def test_production_offers_no_sandbox_and_names_the_default() -> None:
    assert clearinghouse_choices() == [
        ("", "The deployment's default (SFTP batch clearinghouse)"),
        ("sftp", "SFTP batch clearinghouse"),
    ]


@pytest.mark.django_db
def test_an_admin_saves_the_schedule_and_the_clearinghouse(world, admin, client_for):  # type: ignore[no-untyped-def]
    http = client_for(admin)
    page = http.get(URL)
    assert page.status_code == 200
    assert "none set up" in page.content.decode()

    saved = http.post(URL, {**VALID, "clearinghouse": "sandbox", "days_ahead": "3"})
    assert saved.status_code == 302
    row = EligibilitySettings.objects.get(practice=world.practice)
    assert (row.clearinghouse, row.days_ahead, row.reverify_after_days) == ("sandbox", 3, 30)
    assert AuditEvent.objects.filter(object_type="eligibility_settings", object_id=str(row.pk)).exists()

    refused = http.post(URL, {**VALID, "clearinghouse": "sftp"})
    assert refused.status_code == 400
    assert "no SFTP connection" in refused.content.decode()
    SftpConnection.objects.create(
        practice=world.practice,
        host="sftp.example.test",
        username="parity",
        key_path="/k",
        known_host_key="x y",
    )
    assert http.post(URL, {**VALID, "clearinghouse": "sftp"}).status_code == 302
    row.refresh_from_db()
    assert row.clearinghouse == "sftp"
    assert "parity@sftp.example.test:22" in http.get(URL).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["biller", "clinician"])
def test_others_are_refused_before_the_form_is_read(world, client_for, role):  # type: ignore[no-untyped-def]
    user = world.biller if role == "biller" else world.clinician
    http = client_for(user)
    assert http.get(URL).status_code == 403
    assert http.post(URL, {"days_ahead": "not a number"}).status_code == 403
    assert http.post(URL, VALID).status_code == 403
    assert not EligibilitySettings.objects.filter(practice=world.practice).exists()
