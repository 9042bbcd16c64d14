"""Print the current TOTP code of the demo accounts (only devices holding the demo key)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.constants import DEMO_TOTP_BASE32, DEMO_TOTP_KEY_HEX


class Command(BaseCommand):
    help = "Print the current two-factor code for the demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        devices = TOTPDevice.objects.filter(key=DEMO_TOTP_KEY_HEX, confirmed=True).select_related("user")
        try:
            found = list(devices)
        except DatabaseError:  # no tables yet: the demo was never set up on this database
            self.stderr.write("No demo database. Run `make run` (or migrate, then seed_demo) first.")
            return
        if not found:
            self.stderr.write("No demo accounts. Run `python manage.py seed_demo` first.")
            return
        device = found[0]
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        code = f"{totp.token():0{device.digits}d}"
        users = ", ".join(sorted(d.user.get_username() for d in found))
        self.stdout.write(f"Current code: {code}  (valid ~30 s; key {DEMO_TOTP_BASE32})")
        self.stdout.write(f"Accounts: {users}")
