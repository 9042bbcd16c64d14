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
