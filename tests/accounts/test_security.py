"""Sign-in security: lockout, session rotation, idle timeout, password rules, MFA on the API."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import DEMO_PASSWORD


@pytest.mark.django_db
def test_lockout_after_repeated_failures_even_with_the_right_password(practice, make_member, settings):
    # given
    user = make_member("biller", practice)
    client = Client()
    # when
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong-password-1"})
    locked = client.post(reverse("accounts:login"), {"username": user.username, "password": DEMO_PASSWORD})
    # then
    assert locked.status_code == 429
    assert b"Too many failed sign-in attempts" in locked.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failures_below_the_limit_do_not_lock(practice, make_member, settings):
    user = make_member("biller", practice)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong-password-1"})
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_session_key_rotates_on_login(practice, make_member):
    # given
    user = make_member("biller", practice)
    client = Client()
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    # when
    client.post(reverse("accounts:login"), {"username": user.username, "password": DEMO_PASSWORD})
    # then
    assert client.session.session_key != before


@pytest.mark.django_db
def test_idle_session_expires_after_fifteen_minutes(practice, make_member, client_for):
    # given
    user = make_member("biller", practice)
    start = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client = client_for(user)
        assert client.get("/").status_code == 200
        # when: 14 minutes idle keeps the session (and renews it)
        traveller.shift(dt.timedelta(minutes=14))
        still_in = client.get("/")
        # when: then 16 minutes idle ends it
        traveller.shift(dt.timedelta(minutes=16))
        expired = client.get("/")
    # then
    assert still_in.status_code == 200
    assert expired.status_code == 302
    assert expired.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("_case", "password", "ok"),
    [
        ("too short", "Tr0ub4dor&3", False),
        ("common", "password1234", False),
        ("all digits", "839201746153", False),
        ("long passphrase", "violet-harbor-kettle-57", True),
    ],
)
@pytest.mark.django_db
def test_password_rules(_case, password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


@pytest.mark.django_db
def test_api_refuses_a_signed_in_user_who_has_not_passed_mfa(practice, make_member):
    # given
    user = make_member("biller", practice)
    client = Client()
    client.force_login(user)
    # when
    response = client.get("/api/schema/")
    # then
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"


@pytest.mark.django_db
def test_member_of_two_practices_switches_between_them(make_member, practice, other_practice, client_for):
    from accounts.models import Membership

    # given
    user = make_member("biller", practice)
    Membership.objects.create(user=user, practice=other_practice, role="biller")
    client = client_for(user)
    # when
    client.post(reverse("accounts:switch_practice"), {"practice_id": other_practice.pk})
    home = client.get("/")
    # then
    assert home.context["practice_access"].practice_id == other_practice.pk


@pytest.mark.django_db
def test_cannot_switch_to_a_practice_without_membership(make_member, practice, other_practice, client_for):
    user = make_member("biller", practice)
    client = client_for(user)
    response = client.post(reverse("accounts:switch_practice"), {"practice_id": other_practice.pk})
    assert response.status_code == 404
    assert client.get("/").context["practice_access"].practice_id == practice.pk
