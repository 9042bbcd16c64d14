"""MFA enrolment needs an admin's one-time code: 24 h, single use, hashed, audited; device reset."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.domain.enrolment import CodeState, code_is_well_formed, code_state, normalize_code
from accounts.models import MfaEnrolmentCode
from audit.models import AuditEvent
from core.audit_context import AuditContext
from practice import services
from tests.conftest import DEMO_PASSWORD, verified_client
from tests.factories import MembershipFactory, UserFactory

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
EXPIRES = T0 + dt.timedelta(hours=24)
SYSTEM = AuditContext.system("test")


@pytest.mark.parametrize(
    ("_case", "now", "used", "revoked", "expected"),
    [
        ("a moment before expiry", EXPIRES - dt.timedelta(microseconds=1), None, None, CodeState.VALID),
        ("at expiry", EXPIRES, None, None, CodeState.EXPIRED),
        ("after expiry", EXPIRES + dt.timedelta(hours=1), None, None, CodeState.EXPIRED),
        ("used, then expired", EXPIRES, T0, None, CodeState.USED),
        ("revoked before expiry", T0, None, T0, CodeState.REVOKED),
    ],
)
def test_code_state_edges(_case, now, used, revoked, expected):
    assert code_state(expires_at=EXPIRES, used_at=used, revoked_at=revoked, now=now) is expected


@pytest.mark.parametrize(
    ("_case", "typed", "ok"),
    [
        ("as issued", "ABCD-EFGH-JKMN-PQRS", True),
        ("lower case, spaces", "abcd efgh jkmn pqrs", True),
        ("one short", "ABCD-EFGH-JKMN-PQR", False),
        ("one long", "ABCD-EFGH-JKMN-PQRST", False),
        ("ambiguous letter O", "ABCD-EFGH-JKMN-PQRO", False),
    ],
)
def test_typed_codes_are_normalized(_case, typed, ok):
    assert code_is_well_formed(typed) is ok


@pytest.fixture
def newcomer(practice):
    """A member with a password and no authenticator (not make_member: that enrols a device)."""
    user = UserFactory()
    MembershipFactory(user=user, practice=practice, role="clinician")
    return user


def _password_client(user) -> Client:
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": DEMO_PASSWORD})
    return client


def _token(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def _events(detail: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(category="account_security", detail__contains=detail))


@pytest.mark.django_db
def test_a_password_alone_never_shows_an_authenticator_key(newcomer):
    # when
    client = _password_client(newcomer)
    home = client.get("/")
    mfa = client.get(reverse("accounts:mfa"))
    enrol = client.get(mfa.url)
    # then: sent to the code step; no key, no QR, no device
    assert home.url == reverse("accounts:mfa")
    assert mfa.url.startswith(reverse("mfa_enrol"))
    assert enrol.status_code == 200
    assert b"Enrolment code" in enrol.content
    assert b"totp-secret" not in enrol.content
    assert TOTPDevice.objects.filter(user=newcomer).count() == 0


@pytest.mark.django_db
def test_admin_issues_a_code_the_user_enrols_once_and_everything_is_audited(practice, make_member, newcomer):
    # given
    admin = verified_client(make_member("practice_admin", practice))
    # when: the admin issues a code from the team screen
    page = admin.post(reverse("practice:team_code_issue", args=[newcomer.pk]))
    code = re.search(r'id="issued-code-value">([A-Z0-9-]+)<', page.content.decode()).group(1)
    row = MfaEnrolmentCode.objects.get(user=newcomer)
    # then: only the hash is stored, valid 24 h
    assert row.code_hash == hashlib.sha256(normalize_code(code).encode()).hexdigest()
    assert code.replace("-", "") not in str(MfaEnrolmentCode.objects.filter(pk=row.pk).values().get())
    assert abs(row.expires_at - row.created_at - dt.timedelta(hours=24)) < dt.timedelta(seconds=1)
    assert len(_events("enrolment code issued")) == 1

    # when: the user types it, sees the key, and confirms with a first code
    client = _password_client(newcomer)
    step1 = client.post(reverse("mfa_enrol"), {"code": code.lower()})
    step2 = client.get(reverse("mfa_enrol"))
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    done = client.post(reverse("mfa_enrol"), {"token": _token(device)})
    # then
    assert step1.status_code == 302
    assert b"totp-secret" in step2.content
    assert done.status_code == 302
    assert client.get("/").status_code == 200
    row.refresh_from_db()
    assert row.used_at is not None
    assert TOTPDevice.objects.filter(user=newcomer, confirmed=True).count() == 1
    assert len(_events("enrolment code used")) == 1

    # and the code cannot be used again (after a reset, say)
    services.mfa_device_reset(practice_id=practice.pk, user_id=newcomer.pk, context=SYSTEM)
    again = _password_client(newcomer).post(reverse("mfa_enrol"), {"code": code})
    assert again.status_code == 400
    assert TOTPDevice.objects.filter(user=newcomer).count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("_case", "later", "accepted"),
    [
        ("a second before 24 h", dt.timedelta(hours=24, seconds=-1), True),
        ("at 24 h", dt.timedelta(hours=24), False),
    ],
)
def test_a_code_expires_after_24_hours_and_the_expiry_is_audited(_case, later, accepted, practice, newcomer):
    # given
    with time_machine.travel(T0, tick=False):
        issued = services.mfa_enrolment_code_issue(
            practice_id=practice.pk, user_id=newcomer.pk, context=SYSTEM
        )
    # when
    with time_machine.travel(T0 + later, tick=False):
        response = _password_client(newcomer).post(reverse("mfa_enrol"), {"code": issued.code})
        recorded_again = services.mfa_enrolment_codes_expire(context=SYSTEM)
    # then
    assert (response.status_code == 302) is accepted
    assert len(_events("expired unused")) == (0 if accepted else 1)
    assert recorded_again == 0
    if not accepted:
        assert b"has expired" in response.content


@pytest.mark.django_db
def test_the_hourly_sweep_records_each_expired_code_once(practice, newcomer):
    with time_machine.travel(T0, tick=False):
        services.mfa_enrolment_code_issue(practice_id=practice.pk, user_id=newcomer.pk, context=SYSTEM)
    with time_machine.travel(EXPIRES - dt.timedelta(seconds=1), tick=False):
        assert services.mfa_enrolment_codes_expire(context=SYSTEM) == 0
    with time_machine.travel(EXPIRES, tick=False):
        assert services.mfa_enrolment_codes_expire(context=SYSTEM) == 1
        assert services.mfa_enrolment_codes_expire(context=SYSTEM) == 0
    assert len(_events("expired unused")) == 1


@pytest.mark.django_db
def test_a_code_works_only_for_its_user_and_a_new_code_revokes_the_old(practice, newcomer):
    # given
    other = UserFactory()
    MembershipFactory(user=other, practice=practice, role="biller")
    first = services.mfa_enrolment_code_issue(practice_id=practice.pk, user_id=newcomer.pk, context=SYSTEM)
    # when
    stolen = _password_client(other).post(reverse("mfa_enrol"), {"code": first.code})
    second = services.mfa_enrolment_code_issue(practice_id=practice.pk, user_id=newcomer.pk, context=SYSTEM)
    old = _password_client(newcomer).post(reverse("mfa_enrol"), {"code": first.code})
    new = _password_client(newcomer).post(reverse("mfa_enrol"), {"code": second.code})
    # then
    assert stolen.status_code == 400
    assert TOTPDevice.objects.filter(user=other).count() == 0
    assert old.status_code == 400
    assert new.status_code == 302


@pytest.mark.django_db
def test_reset_removes_the_device_ends_verified_sessions_and_is_audited(practice, make_member):
    # given: a signed-in, verified clinician who lost their phone
    user = make_member("clinician", practice)
    session = verified_client(user)
    admin = verified_client(make_member("practice_admin", practice))
    # when
    response = admin.post(reverse("practice:team_mfa_reset", args=[user.pk]))
    # then
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=user).count() == 0
    assert session.get("/").url == reverse("accounts:mfa")
    (event,) = _events("authenticator reset")
    assert (event.action, event.practice_id, event.object_id) == ("mfa_reset", practice.pk, str(user.pk))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["technician", "clinician", "supervisor", "biller", "compliance"])
def test_only_admins_issue_codes_or_reset_devices(role, practice, make_member, newcomer):
    client = verified_client(make_member(role, practice))
    target = make_member("clinician", practice)
    assert client.get(reverse("practice:team")).status_code == 403
    assert client.post(reverse("practice:team_code_issue", args=[newcomer.pk])).status_code == 403
    assert client.post(reverse("practice:team_mfa_reset", args=[target.pk])).status_code == 403
    assert MfaEnrolmentCode.objects.count() == 0
    assert TOTPDevice.objects.filter(user=target).count() == 1
    assert AuditEvent.objects.filter(category="account_security").count() == 0


@pytest.mark.django_db
def test_an_admin_cannot_touch_another_practices_member(practice, other_practice, make_member):
    admin = verified_client(make_member("practice_admin", practice))
    stranger = make_member("clinician", other_practice)
    assert admin.post(reverse("practice:team_code_issue", args=[stranger.pk])).status_code == 404
    assert admin.post(reverse("practice:team_mfa_reset", args=[stranger.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=stranger).count() == 1
    assert MfaEnrolmentCode.objects.count() == 0


@pytest.mark.django_db
def test_team_screen_lists_members_with_their_sign_in_state(practice, make_member, newcomer):
    admin_user = make_member("practice_admin", practice)
    with time_machine.travel(timezone.now(), tick=False):
        services.mfa_enrolment_code_issue(practice_id=practice.pk, user_id=newcomer.pk, context=SYSTEM)
    html = verified_client(admin_user).get(reverse("practice:team")).content.decode()
    assert "Authenticator enrolled" in html
    assert "Enrolment code waiting, valid until" in html


@pytest.mark.django_db
def test_the_command_prints_a_code_that_enrols_the_first_admin(practice, newcomer):
    # given
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    # when
    call_command("mfa_enrolment_code", newcomer.username, stdout=out)
    code = re.search(r"Enrolment code: ([A-Z0-9-]+)", out.getvalue()).group(1)
    response = _password_client(newcomer).post(reverse("mfa_enrol"), {"code": code})
    # then
    assert response.status_code == 302
    (event,) = _events("enrolment code issued")
    assert event.actor_username == "system:command"


@pytest.mark.django_db
def test_seed_demo_enrols_through_the_services_and_leaves_the_current_code_unused(practice, newcomer):
    # given
    from demo.constants import DEMO_TOTP_KEY_HEX
    from demo.seed import seed_authenticators

    # when
    with time_machine.travel(T0, tick=False):
        seed_authenticators(practice, {"newcomer": newcomer})
        seed_authenticators(practice, {"newcomer": newcomer})  # idempotent
    # then: the documented key, a spent code, an audit trail, no drift
    device = TOTPDevice.objects.get(user=newcomer, confirmed=True)
    assert (device.key, device.drift) == (DEMO_TOTP_KEY_HEX, 0)
    (code,) = MfaEnrolmentCode.objects.filter(user=newcomer)
    assert code.used_at is not None
    assert len(_events("enrolment code used")) == 1
    # and the code `make totp` prints in the next 30-second step signs in
    with time_machine.travel(T0 + dt.timedelta(seconds=30), tick=False):
        assert device.verify_token(_token(device)) is True
