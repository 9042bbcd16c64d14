"""Browser: an admin adds a provider (NPI typo caught on the form), then a licence."""

import re

import pytest
from playwright.sync_api import Page, expect

from practice.models import Provider
from tests.e2e.helpers import login_with_mfa

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_add_a_provider_fixing_an_npi_typo(live_server, page: Page, practice, make_member):
    # given
    admin = make_member("practice_admin", practice)
    login_with_mfa(page, live_server.url, admin)
    # when: the NPI has a wrong check digit
    page.click("nav >> text=Providers")
    page.click("#add-provider")
    page.fill("input[name=first_name]", "Dana")
    page.fill("input[name=last_name]", "Reyes")
    page.select_option("select[name=credential]", "LPC")
    page.fill("input[name=npi]", "1245319590")
    page.click("#provider-form button[type=submit]")
    # then: the error is on the form and nothing was saved
    expect(page.locator("#provider-form .errorlist")).to_contain_text("check digit is wrong")
    assert Provider.objects.count() == 0
    # when: corrected
    page.fill("input[name=npi]", "1245319599")
    page.click("#provider-form button[type=submit]")
    # then
    expect(page).to_have_url(re.compile(r"/practice/providers/\d+/$"))
    expect(page.locator("#npi")).to_have_text("1245319599")
    expect(page.locator("#license-status")).to_have_text("Missing")
    # when: a licence is added
    page.fill("#license-form input[name=number]", "LPC-100")
    page.fill("#license-form input[name=state]", "IL")
    page.fill("#license-form input[name=expires_on]", "2099-12-31")
    page.click("#license-form button[type=submit]")
    # then
    expect(page.locator("#license-status")).to_have_text("Active")
    page.click("nav >> text=Providers")
    expect(page.locator("#providers .license-status")).to_have_text("Active")
