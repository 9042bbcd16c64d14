"""Shared helpers for browser tests (pytest-playwright `page` + `live_server`)."""

from __future__ import annotations

import re
import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.conftest import DEMO_PASSWORD


def current_totp_code(user: User) -> str:
    """The 6-digit code the user's confirmed authenticator shows right now. A code is accepted
    once (django-otp refuses a time step already used, e.g. by enrolment in seed_demo or an
    earlier sign-in): then wait for the next step, as a person would."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t >= totp.t():
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.2)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def login_with_mfa(page: Page, live_server_url: str, user: User, *, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real login form, then the two-factor form; ends on the home page."""
    page.goto(f"{live_server_url}/accounts/login/")
    page.fill("input[name=username]", user.get_username())
    page.fill("input[name=password]", password)
    page.click("form:has(input[name=password]) button[type=submit]")
    expect(page).to_have_url(re.compile(r"/accounts/mfa/"))
    page.fill("input[name=token]", current_totp_code(user))
    page.click("form:has(input[name=token]) button[type=submit]")
    expect(page.locator("#welcome")).to_be_visible()


SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


def axe_blocking(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


def layout_problems(page: Page, base_url: str, paths: list[str]) -> list[str]:
    """Each path at desktop and phone width: a 200, no sideways scroll, no blocking axe finding."""
    problems: list[str] = []
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        for path in paths:
            response = page.goto(f"{base_url}{path}")
            if response is None or response.status != 200:
                problems.append(f"{path} at {size}: status {response.status if response else None}")
                continue
            scroll = page.evaluate("document.scrollingElement.scrollWidth")
            if scroll > width:
                problems.append(f"{path} at {size}: sideways scroll ({scroll}px)")
            problems += [f"{path} at {size}: axe {v}" for v in axe_blocking(page)]
    return problems
