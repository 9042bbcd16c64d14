"""Build (or top up) the synthetic demo practice through the real services. Idempotent."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from demo.constants import DEMO_PASSWORD, DEMO_TOTP_BASE32
from demo.seed import DEMO_USERS, seed_all

# Addresses a server listens on that a browser cannot open as such.
WILDCARD_HOSTS = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}  # noqa: S104 - mapped away


def sign_in_url(environ: Mapping[str, str]) -> str:
    """The address `make run` serves on: HOST and PORT from the environment (127.0.0.1:8000)."""
    host = environ.get("HOST", "127.0.0.1").strip()
    host = WILDCARD_HOSTS.get(host, host)
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    port = environ.get("PORT", "8000").strip() or "8000"
    return f"http://{host}:{port}/"


class Command(BaseCommand):
    help = "Create the synthetic demo practice (users, providers, payers, patients...)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_all(now=timezone.now())
        made = ", ".join(f"{n} {what}" for what, n in sorted(report.created.items())) or "nothing new"
        self.stdout.write(self.style.SUCCESS(f"Demo practice ready ({made})."))
        self.stdout.write("")
        self.stdout.write(f"Sign in at {sign_in_url(os.environ)} with any of these (password for all):")
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
        for username, _first, _last, role, credential in DEMO_USERS:
            extra = f" ({credential})" if credential else ""
            self.stdout.write(f"  {username:<11} {role}{extra}")
        self.stdout.write("")
        self.stdout.write(f"Two-factor: add key {DEMO_TOTP_BASE32} to an authenticator app,")
        self.stdout.write("or run `.venv/bin/python manage.py demo_totp` for the current code.")
