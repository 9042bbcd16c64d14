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


def test_admin_issues_an_enrolment_code_and_resets_a_lost_authenticator(
    live_server, page: Page, practice, make_member
):
    # given: an admin, a new member without an authenticator, and one who lost their phone
    admin = make_member("practice_admin", practice)
    newcomer = UserFactory(first_name="Nell", last_name="Newcomb")
    MembershipFactory(user=newcomer, practice=practice, role="clinician")
    lost = make_member("biller", practice)
    login_with_mfa(page, live_server.url, admin)
    # when: the admin opens Team and issues a code for the newcomer
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    page.locator(f"#member-{newcomer.pk}").get_by_role("button", name="Issue enrolment code").click()
    # then: the code is shown once, in groups, with its expiry
    expect(page.locator("#issued-code")).to_contain_text("Enrolment code for Nell Newcomb")
    expect(page.locator("#issued-code-value")).to_have_text(re.compile(r"^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$"))
    expect(page.locator(f"#member-{newcomer.pk} .sign-in-state")).to_contain_text("Enrolment code waiting")
    # when: the admin resets the other member's authenticator
    page.locator(f"#member-{lost.pk}").get_by_role("button", name="Reset authenticator").click()
    # then
    expect(page.locator(".messages")).to_contain_text("Authenticator reset")
    expect(page.locator(f"#member-{lost.pk} .sign-in-state")).to_contain_text("No authenticator")
    assert lost.totpdevice_set.count() == 0
