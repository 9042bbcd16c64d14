"""Sign-ins, failed sign-ins, lockouts, two-factor enrolment, refusals and resets go into the
hash-chained audit trail, one event per practice the user belongs to."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.chain_services import audit_chain_verify
from audit.models import AuditEvent
from core.audit_context import AuditContext
from practice import services as practice_services
from tests.conftest import DEMO_PASSWORD
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice, *, wrong: bool = False) -> str:
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    return ("111111" if code != "111111" else "222222") if wrong else code


def _events(before: int) -> list[tuple[object, ...]]:
    return [
        (e.action, e.outcome, e.practice_id, e.actor_username, e.object_type, e.detail, e.category)
        for e in AuditEvent.objects.order_by("seq")[before:]
    ]


@pytest.fixture
def biller(practice, other_practice, make_member):  # type: ignore[no-untyped-def]
    user = make_member("biller", practice)
    MembershipFactory(user=user, practice=other_practice, role="biller")
    return user


def _sign_in(client: Client, username: str, password: str = DEMO_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_a_full_sign_in_is_recorded_in_each_of_the_users_practices(biller, practice, other_practice):
    # given
    client = Client()
    before = AuditEvent.objects.count()
    # when
    _sign_in(client, biller.username)
    client.post(reverse("accounts:mfa"), {"token": _code(TOTPDevice.objects.get(user=biller))})
    # then
    name = biller.username
    first, second = sorted([practice.pk, other_practice.pk])
    assert _events(before) == [
        ("sign_in", "allowed", first, name, "user", "step=password", "sign_in"),
        ("sign_in", "allowed", second, name, "user", "step=password", "sign_in"),
        ("sign_in", "allowed", first, name, "user", "step=two_factor", "sign_in"),
        ("sign_in", "allowed", second, name, "user", "step=two_factor", "sign_in"),
    ]
    assert audit_chain_verify().ok is True


def test_a_wrong_password_and_an_unknown_username_are_recorded(practice, make_member):
    # given
    user = make_member("clinician", practice)
    before = AuditEvent.objects.count()
    # when
    _sign_in(Client(), user.username, "not-the-password-1")
    _sign_in(Client(), "nobody-here", "not-the-password-1")
    # then
    assert _events(before) == [
        ("sign_in_failed", "denied", practice.pk, user.username, "user", "step=password", "sign_in"),
        ("sign_in_failed", "denied", None, "nobody-here", "user", "step=password;unknown_user", "sign_in"),
    ]


def test_a_lockout_is_recorded(practice, make_member, settings):
    # given
    user = make_member("clinician", practice)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, user.username, "not-the-password-1")
    before = AuditEvent.objects.count()
    # when: the attempt that reaches the limit
    response = _sign_in(client, user.username, "not-the-password-1")
    # then
    assert response.status_code == 429
    # (django-axes announces the lockout while it handles the failure, so it comes first)
    assert [(e[0], e[1], e[2], e[5]) for e in _events(before)] == [
        ("locked_out", "denied", practice.pk, "axes_lockout"),
        ("sign_in_failed", "denied", practice.pk, "step=password"),
    ]


def test_wrong_codes_are_recorded_and_a_locked_second_factor_says_so(practice, make_member):
    # given
    user = make_member("clinician", practice)
    device = TOTPDevice.objects.get(user=user)
    client = Client()
    start = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        _sign_in(client, user.username)
        before = AuditEvent.objects.count()
        # when: a wrong code, then the right one straight away (the device now waits 1 second)
        wrong = client.post(reverse("accounts:mfa"), {"token": _code(device, wrong=True)})
        device.refresh_from_db()
        right_too_soon = client.post(reverse("accounts:mfa"), {"token": _code(device)})
        page = client.get(reverse("accounts:mfa"))
    # then
    assert wrong.status_code == 400
    assert (
        "That code is not valid. Two-factor sign-in is locked after 1 wrong code in a row. Wait 1 second"
        in (wrong.content.decode())
    )
    assert right_too_soon.status_code == 400
    assert (
        "Two-factor sign-in is locked after 1 wrong code in a row. Wait 1 second"
        in right_too_soon.content.decode()
    )
    assert 'id="mfa-locked"' in page.content.decode()
    assert [(e[0], e[1], e[5]) for e in _events(before)] == [
        ("mfa_failed", "denied", "wrong_code"),
        ("mfa_failed", "denied", "device_locked"),
    ]
    # and once the wait is over, the right code signs in
    with time_machine.travel(start + dt.timedelta(seconds=2), tick=False):
        device.refresh_from_db()
        assert client.post(reverse("accounts:mfa"), {"token": _code(device)}).status_code == 302


def test_six_wrong_codes_lock_for_32_seconds_and_the_page_says_how_long(practice, make_member):
    # given
    user = make_member("clinician", practice)
    device = TOTPDevice.objects.get(user=user)
    client = Client()
    start = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        _sign_in(client, user.username)
        for wait in (0, 1, 2, 4, 8, 16):  # each wrong code after the previous lock ended
            clock.shift(dt.timedelta(seconds=wait))
            device.refresh_from_db()
            client.post(reverse("accounts:mfa"), {"token": _code(device, wrong=True)})
        # when
        page = client.get(reverse("accounts:mfa"))
    # then
    assert "locked after 6 wrong codes in a row. Wait 32 seconds" in page.content.decode()


def test_enrolling_a_device_is_recorded(practice, make_member):
    # given: a member without a device, holding an admin's enrolment code
    user = UserFactory()
    MembershipFactory(user=user, practice=practice, role="clinician")
    admin = make_member("practice_admin", practice)
    issued = practice_services.mfa_enrolment_code_issue(
        practice_id=practice.pk,
        user_id=user.pk,
        context=AuditContext(actor_id=admin.pk, actor_username=admin.username),
    )
    client = Client()
    _sign_in(client, user.username)
    client.post(reverse("mfa_enrol"), {"code": issued.code})
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    before = AuditEvent.objects.count()
    # when
    response = client.post(reverse("mfa_enrol"), {"token": _code(pending)})
    # then: the enrolment, then the completed sign-in
    assert response.status_code == 302
    assert [(e[0], e[1], e[2]) for e in _events(before)] == [
        ("mfa_enrol", "allowed", practice.pk),
        ("sign_in", "allowed", practice.pk),
    ]


def test_a_reset_is_recorded_with_the_admin_as_actor(biller, practice, make_member):
    # given
    admin = make_member("practice_admin", practice)
    before = AuditEvent.objects.count()
    # when
    removed = practice_services.mfa_device_reset(
        practice_id=practice.pk,
        user_id=biller.pk,
        context=AuditContext(actor_id=admin.pk, actor_username=admin.username),
    )
    # then
    assert removed == 1
    assert not TOTPDevice.objects.filter(user=biller).exists()
    events = list(AuditEvent.objects.order_by("seq")[before:])
    assert [(e.action, e.actor_id, e.object_id, e.practice_id) for e in events] == [
        ("mfa_reset", admin.pk, str(biller.pk), practice.pk)
    ]


def test_sign_out_is_recorded(practice, make_member):
    user = make_member("clinician", practice)
    client = Client()
    _sign_in(client, user.username)
    before = AuditEvent.objects.count()
    client.post(reverse("accounts:logout"))
    assert [(e[0], e[2]) for e in _events(before)] == [("sign_out", practice.pk)]


def test_a_test_clients_force_login_is_not_a_sign_in(practice, make_member, client_for):
    user = make_member("clinician", practice)
    before = AuditEvent.objects.count()
    client_for(user)
    assert AuditEvent.objects.count() == before
