"""Every role's home page and main path in real Chromium, on the demo practice (seed_demo), at
desktop (1440 x 900) and phone (390 x 844) width: no sideways scroll, the menu reachable, and an
axe-core scan with no serious or critical violation on every page.

Set PARITY_SCREENSHOTS=docs/screenshots to refresh the README's screenshots from this run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from billing.celery import app as celery_app
from claims.models import ChargeSet
from clinical_notes.models import SessionNote
from demo.constants import DEMO_PASSWORD
from demo.seed import seed_all
from tests.e2e.helpers import login_with_mfa

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
BLOCKING = {"serious", "critical"}
AXE = Axe()


def _draft_editor() -> str:
    note = SessionNote.objects.filter(author__user__username="tech", status="draft").order_by("pk").first()
    return f"/notes/{note.pk}/edit/" if note is not None else "/notes/to-write/"


def _charge_set() -> str:
    charge_set = ChargeSet.objects.order_by("pk").first()
    return f"/charges/{charge_set.pk}/" if charge_set is not None else "/charges/"


# each role's home page and the pages of its main path (callables: ids exist only after the seed)
MAIN_PATHS: dict[str, list[str | Callable[[], str]]] = {
    "tech": ["/", "/notes/my-day/", "/notes/to-write/", _draft_editor, "/patients/"],
    "clinician": ["/", "/notes/to-write/", "/notes/returned/", "/schedule/", "/notes/all/"],
    "supervisor": ["/", "/notes/cosign/", "/notes/all/", "/patients/"],
    "biller": [
        "/",
        "/billing/",
        "/claims/",
        "/remittance/eras/",
        "/denials/",
        "/charges/",
        _charge_set,
        "/authorizations/",
        "/jobs/",
    ],
    "admin": ["/", "/practice/providers/", "/payers/", "/authorizations/"],
    "compliance": ["/", "/audit/"],
}


@pytest.fixture
def demo_practice():
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        seed_all(now=timezone.now())
    finally:
        celery_app.conf.task_always_eager = before


def _blocking(page: Page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in BLOCKING
    ]


# the pages whose screenshots the README shows (name in docs/screenshots/: <name>-<role>-<size>.png)
SCREENSHOTS = {
    "/": "home",
    "/billing/": "billing-dashboard",
    "/claims/": "claims",
    "/remittance/eras/": "eras",
    "/denials/": "denials",
}


def _shot(page: Page, name: str) -> None:
    folder = os.environ.get("PARITY_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def _skip_link_first_and_focus_visible(page: Page, base: str) -> None:
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/#main")


def _cosign_the_clean_notes_in_one_pass(page: Page, base: str) -> None:
    page.goto(f"{base}/notes/cosign/")
    boxes = page.locator(".cosign-many-check input")
    ticked = min(boxes.count(), 2)
    assert ticked >= 1, "the demo queue has a clean note"
    for i in range(ticked):
        boxes.nth(i).check()
    page.click("#cosign-selected")
    expect(page.locator(".messages")).to_contain_text(f"Co-signed {ticked} note")


def _review_clean_charges_in_one_pass(page: Page, base: str) -> None:
    page.goto(f"{base}/charges/?status=ready")
    expect(page.locator("#charge-list-total")).to_have_text(re.compile(r"^\$[0-9,]+\.\d\d$"))
    expect(page.locator("#charge-table .first-finding").first).not_to_contain_text("1 error")
    boxes = page.locator("input[name=charge_set_ids]")
    for i in range(2):
        boxes.nth(i).check()
    page.click("#review-selected")
    expect(page.locator(".messages")).to_contain_text("Marked 2 sets of charges reviewed.")


AFTER_THE_PAGES: dict[str, Callable[[Page, str], None]] = {
    "supervisor": _cosign_the_clean_notes_in_one_pass,
    "biller": _review_clean_charges_in_one_pass,
}


def test_every_role_home_and_main_path_fit_a_phone_and_pass_axe(live_server, page: Page, demo_practice):
    """One seed, every role in turn (a seed per role would take minutes)."""
    problems: list[str] = []
    covered = 0
    for username, paths in MAIN_PATHS.items():
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1440, "height": 900})
        login_with_mfa(page, live_server.url, User.objects.get(username=username), password=DEMO_PASSWORD)
        if username == "tech":
            _skip_link_first_and_focus_visible(page, live_server.url)
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            for entry in paths:
                path = entry() if callable(entry) else entry
                response = page.goto(f"{live_server.url}{path}")
                assert response is not None
                where = f"{username} {path} at {width}px"
                if response.status != 200:
                    problems.append(f"{where}: HTTP {response.status}")
                    continue
                covered += 1
                scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
                if scroll_width > width:
                    problems.append(f"{where}: sideways scroll ({scroll_width}px wide)")
                if not page.locator("nav.mainnav a").first.is_visible():
                    problems.append(f"{where}: the menu is not reachable")
                problems += [f"{where}: axe {v}" for v in _blocking(page)]
                if path in SCREENSHOTS:
                    _shot(page, f"{SCREENSHOTS[path]}-{username}-{size}")
        if username in AFTER_THE_PAGES:
            page.set_viewport_size({"width": 1440, "height": 900})
            AFTER_THE_PAGES[username](page, live_server.url)
    assert not problems, "\n".join(problems)
    assert covered == 2 * sum(len(paths) for paths in MAIN_PATHS.values())
