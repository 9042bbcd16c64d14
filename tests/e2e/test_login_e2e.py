"""Browser: sign-in with two-factor verification, first-time enrolment, and sign-out."""

import base64
import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from core.audit_context import AuditContext
from practice.services import mfa_enrolment_code_issue
from tests.conftest import DEMO_PASSWORD
from tests.e2e.helpers import login_with_mfa
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_with_mfa_reaches_home_and_sign_out_ends_the_session(
    live_server, page: Page, practice, make_member
):
    # given
    user = make_member("biller", practice)
    # when
    login_with_mfa(page, live_server.url, user)
    # then
    expect(page.locator("#current-user")).to_contain_text(user.username)
    page.click("text=Sign out")
    page.goto(f"{live_server.url}/patients/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_wrong_code_keeps_the_user_out(live_server, page: Page, practice, make_member):
    user = make_member("biller", practice)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.fill("input[name=token]", "000000")
    page.click("form:has(input[name=token]) button[type=submit]")
    expect(page.locator(".errors")).to_contain_text("not valid")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/mfa/"))


def test_first_sign_in_enrols_an_authenticator_with_the_admins_code(live_server, page: Page, practice):
    # given: a user with no authenticator yet, and the enrolment code their admin issued
    user = UserFactory()
    MembershipFactory(user=user, practice=practice, role="biller")
    issued = mfa_enrolment_code_issue(
        practice_id=practice.pk, user_id=user.pk, context=AuditContext.system("test")
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    # when: the password alone shows no key; the code does
    expect(page.locator("#enrolment-code-form")).to_be_visible()
    expect(page.locator("#totp-secret")).to_have_count(0)
    page.fill("input[name=code]", issued.code)
    page.click("#enrolment-code-form button[type=submit]")
    expect(page.locator("img.qr")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().strip()
    code = f"{TOTP(base64.b32decode(secret)).token():06d}"
    page.fill("input[name=token]", code)
    page.click("form:has(input[name=token]) button[type=submit]")
    # then
    expect(page.locator("#welcome")).to_be_visible()
    assert user.totpdevice_set.filter(confirmed=True).count() == 1
