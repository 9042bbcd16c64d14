"""Denials in a real browser: a biller opens the queue from the menu, sees the denial with its
days left and codes in words, appeals, downloads the letter PDF, records the outcome; the
queue, a denial, the appeals and the analytics fit a phone (390 px) and pass axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.denials.world import make_world
from tests.e2e.helpers import login_with_mfa

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Axe()


def _blocking(page: Page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in AXE.run(page).response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


def test_denial_to_appeal_letter_to_outcome_and_phone_width(
    live_server: Any, page: Page, make_member: Any, practice: Any
) -> None:
    world = make_world(make_member, practice)
    denial = world.denial(carc="50", cents=24000)
    world.denial(group="PR", carc="96", cents=9000)
    login_with_mfa(page, live_server.url, world.biller)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Denials").click()
    row = page.locator(f"#denial-{denial.pk}")
    expect(row).to_contain_text("Payer judged the service not medically necessary")
    expect(row).to_contain_text("$240.00")
    expect(row).to_contain_text(re.compile(r"days? (left|overdue)|due today"))
    row.get_by_role("link").first.click()

    expect(page.locator("#denial-recommended")).to_have_text("Appeal with the records")
    expect(page.locator("#action-transfer_to_patient")).to_have_count(0)  # a CO amount: never
    page.fill("#note-appeal", "Level 1 with the session notes")
    page.click("#action-appeal button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Appeal level 1 opened")
    expect(page.locator("#denial-status")).to_have_text("In appeal")
    with page.expect_download() as download:
        page.locator("#denial-appeals a[id^=letter-]").first.click()
    assert download.value.suggested_filename.startswith("appeal-")
    page.select_option("select[name=outcome]", "partially_won")
    page.fill("input[name=recovered]", "100.00")
    page.click("form[id^=outcome-] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Appeal outcome recorded.")
    expect(page.locator(".appeal-status").first).to_have_text("Partially won")
    expect(page.locator("#denial-status")).to_have_text("Open")  # the rest is still to decide

    problems: list[str] = []
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for path in ("/denials/", f"/denials/{denial.pk}/", "/denials/appeals/", "/denials/analytics/"):
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None
            assert response.status == 200, path
            scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
            if scroll_width > width:
                problems.append(f"{path} at {width}px: sideways scroll ({scroll_width}px wide)")
            problems += [f"{path} at {width}px: axe {v}" for v in _blocking(page)]
    assert not problems, "\n".join(problems)
