"""Browser: the main pages and Swagger UI run under the Content-Security-Policy with no violation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.e2e.helpers import login_with_mfa
from tests.factories import CoverageFactory, MembershipFactory, PatientFactory, PayerFactory
from tests.factories.authorizations import PriorAuthorizationFactory
from tests.factories.clinical import SessionNoteFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Registered before any page script runs (DevTools, so the CSP does not apply to it); collects
# every violation the page reports.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


def _watch(page: Page) -> list[str]:
    console: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            console.append(message.text)

    page.on("console", on_console)
    page.add_init_script(LISTEN)
    return console


def _violations(page: Page) -> list[str]:
    return list(page.evaluate("window.__cspViolations || []"))


def test_main_pages_and_swagger_run_with_no_policy_violation(live_server, page: Page, practice, make_member):
    # given: an admin with a patient, coverage and a prior authorization; a clinician with a draft
    console = _watch(page)
    admin = make_member("practice_admin", practice)
    clinician = make_member("clinician", practice, provider=True)
    payer = PayerFactory(practice=practice)
    patient = PatientFactory(practice=practice)
    CoverageFactory(patient=patient, payer=payer)
    PriorAuthorizationFactory(practice=practice, patient=patient, payer=payer)
    note = SessionNoteFactory(practice=practice, patient=patient, author=clinician.provider_profiles.get())
    seen: dict[str, list[str]] = {}

    # when: the sign-in and MFA pages, then the admin's main pages
    login_with_mfa(page, live_server.url, admin)
    for path in [
        "/",
        "/patients/",
        f"/patients/{patient.pk}/",
        "/authorizations/",
        "/payers/",
        "/charges/",
        "/practice/team/",
    ]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        seen[path] = _violations(page)
    # the burn-down bar got its widths from the script (no style attribute in the markup)
    page.goto(live_server.url + "/authorizations/")
    assert page.locator(".stack .used").evaluate("e => e.style.width") == "0%"
    # Swagger UI renders the schema from our static files
    page.goto(live_server.url + "/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Parity API")
    expect(page.locator(".opblock").first).to_be_visible()
    seen["/api/docs/"] = _violations(page)

    # and the clinician's note editor (autosave script, JSON config block)
    page.context.clear_cookies()
    login_with_mfa(page, live_server.url, clinician)
    for path in ["/notes/my-day/", f"/notes/{note.pk}/edit/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        seen[path] = _violations(page)
    expect(page.locator("#autosave-status")).to_be_attached()

    # then
    assert {path: found for path, found in seen.items() if found} == {}
    assert console == []


def test_an_inline_script_would_be_reported(live_server, page: Page):
    # the listener is live: a page that tries an inline script records a violation
    console = _watch(page)
    page.goto(live_server.url + "/accounts/login/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; "
        "document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert any(v.startswith("script-src") for v in _violations(page))
    assert page.evaluate("window.x === undefined")
    assert any(re.search("Content Security Policy", text) for text in console)


def test_the_moved_scripts_still_switch_practice_and_end_idle_pages(
    live_server, page: Page, practice, other_practice, make_member, settings
):
    # given: a biller in two practices; sessions idle out after 3 seconds
    console = _watch(page)
    biller = make_member("biller", practice)
    MembershipFactory(user=biller, practice=other_practice, role="biller")
    login_with_mfa(page, live_server.url, biller)
    # when: choosing the other practice in the menu (data-submit-on-change, no inline handler)
    page.select_option("#practice-switch", str(other_practice.pk))
    # then
    expect(page.locator("#practice-switch")).to_have_value(str(other_practice.pk))
    # when: the page sits idle past the timeout
    settings.SESSION_COOKIE_AGE = 3
    page.goto(live_server.url + "/patients/")
    # then: parity.js sends it to the sign-in page
    expect(page).to_have_url(re.compile(r"/accounts/login/\?timeout=1"), timeout=10_000)
    assert _violations(page) == []
    assert console == []
