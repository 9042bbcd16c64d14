import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import DEMO_PASSWORD
from tests.factories import MembershipFactory


def _current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.mark.django_db
def test_home_redirects_to_mfa_until_verified(practice, make_member):
    # given
    user = make_member("biller", practice)
    client = Client()
    # when
    client.post(reverse("accounts:login"), {"username": user.username, "password": DEMO_PASSWORD})
    before = client.get("/")
    code = _current_code(TOTPDevice.objects.get(user=user))
    verified = client.post(reverse("accounts:mfa"), {"token": code})
    after = client.get("/")
    # then
    assert before.status_code == 302
    assert before.url == reverse("accounts:mfa")
    assert verified.status_code == 302
    assert after.status_code == 200
    assert b"Your work today" in after.content


@pytest.mark.django_db
def test_wrong_code_is_rejected(practice, make_member):
    user = make_member("biller", practice)
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": DEMO_PASSWORD})
    response = client.post(
        reverse("accounts:mfa"),
        {"token": "000000" if _current_code(TOTPDevice.objects.get(user=user)) != "000000" else "111111"},
    )
    assert response.status_code == 400
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_mfa_page_shows_no_menu_and_no_practice_names_before_the_second_factor(
    practice, other_practice, make_member
):
    # given: a biller in two practices (the menu would offer a practice switch)
    user = make_member("biller", practice)
    MembershipFactory(user=user, practice=other_practice, role="biller")
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": DEMO_PASSWORD})

    # when
    page = client.get(reverse("accounts:mfa"))
    client.post(reverse("accounts:mfa"), {"token": _current_code(TOTPDevice.objects.get(user=user))})
    home = client.get("/")

    # then: before the second factor, no menu, no practice names, no practice switch
    before = page.content.decode()
    assert page.status_code == 200
    assert "Two-factor verification" in before
    assert 'class="mainnav"' not in before
    assert 'id="practice-switch"' not in before
    assert reverse("patients:list") not in before
    assert practice.legal_name not in before
    assert other_practice.legal_name not in before
    # and after it, the same user sees both (the assertions above could fail)
    after = home.content.decode()
    assert 'class="mainnav"' in after
    assert 'id="practice-switch"' in after
    assert practice.legal_name in after
    assert other_practice.legal_name in after
