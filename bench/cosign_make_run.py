"""How long a co-sign takes in `make run` (SQLite, no REDIS_URL: tasks in-process), and whether
anything reaches for a broker. Run after `make run` has seeded the demo (or against any database
with seed_demo data):

    env -u REDIS_URL DJANGO_DEBUG=1 WARM_UP_ON_START=1 .venv/bin/python bench/cosign_make_run.py

With WARM_UP_ON_START=1 (as `make run` starts the server) it first waits for the start-up
warm-up to finish, as a server has long before anyone co-signs. Co-signs every note awaiting co-signature (at most 5) through the screen's POST, as the demo
supervisors, and prints each request's time and the charges that followed. Changes the demo data.
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "billing.settings.base")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from claims.models import ChargeSet  # noqa: E402
from clinical_notes.models import SessionNote  # noqa: E402


class _KombuWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


def main() -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER is not True:
        sys.exit("Run with REDIS_URL unset (as `make run` does).")
    warm_up = [t for t in threading.enumerate() if t.name == "icd10-warm-up"]
    started = time.perf_counter()
    for thread in warm_up:
        thread.join()
    if warm_up:
        print(f"start-up warm-up finished after {time.perf_counter() - started:.1f} s more")
    kombu_log = _KombuWarnings()
    logging.getLogger("kombu").addHandler(kombu_log)
    waiting = list(
        SessionNote.objects.filter(status="awaiting_cosign").select_related("supervisor__user")[:5]
    )
    if not waiting:
        sys.exit("No note awaits co-signature: run seed_demo on a fresh database first.")
    timings = []
    for note in waiting:
        user = note.supervisor.user
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = (
            TOTPDevice.objects.filter(user=user, confirmed=True).get().persistent_id
        )
        session.save()
        started = time.perf_counter()
        response = client.post(f"/notes/{note.pk}/cosign/", {"attested": "on"})
        elapsed = time.perf_counter() - started
        timings.append(elapsed)
        charges = ChargeSet.objects.filter(note_id=note.pk).count()
        print(
            f"note {note.pk}: HTTP {response.status_code} in {elapsed * 1000:6.0f} ms, charge sets: {charges}"
        )
    print(f"median {statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms")
    print(f"kombu warnings: {len(kombu_log.records)} {kombu_log.records[:3]}")


if __name__ == "__main__":
    main()
