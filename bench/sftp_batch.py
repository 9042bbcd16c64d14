"""SFTP batch adapter: how long a batch of 270s takes to send, and a batch of 271s to collect.

Against asyncssh's in-process SFTP server on 127.0.0.1 (no database needed):

    PYTHONPATH=. .venv/bin/python bench/sftp_batch.py [N]

Sends N inquiries in one session (one file each), plays the clearinghouse by answering each with
the sandbox payer's 271 into the inbox, then collects them (parse, hand over, archive).
"""

from __future__ import annotations

import os
import pathlib
import platform
import sys
import tempfile
import time
from dataclasses import replace

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "billing.settings.test")

from clearinghouse.interface import EligibilityCheck  # noqa: E402
from clearinghouse.sandbox import respond_271  # noqa: E402
from clearinghouse.sftp import SftpBatchClearinghouse  # noqa: E402
from edi.x270 import build_270  # noqa: E402
from tests.clearinghouse.sftp_servers import asyncssh_sftp  # noqa: E402
from tests.edi.samples import SUBSCRIBER, envelope  # noqa: E402
from tests.edi.samples import request as inquiry  # noqa: E402


def main(n: int) -> None:
    checks = [
        EligibilityCheck(
            inquiry(
                subscriber=replace(SUBSCRIBER, member_id=f"SBX10{(i % 7) + 1:02d}"), trace_number=f"B-{i:06d}"
            ),
            envelope(interchange_control_number=i + 1),
        )
        for i in range(n)
    ]
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}; N={n}")
    with asyncssh_sftp(pathlib.Path(tempfile.mkdtemp(prefix="sftp-bench-"))) as endpoint:
        adapter = SftpBatchClearinghouse(endpoint.settings())
        started = time.perf_counter()
        adapter.send(checks)
        sent = time.perf_counter() - started
        again = time.perf_counter()
        skipped = sum(s.already_sent for s in adapter.send(checks))
        resend = time.perf_counter() - again
        inbox = endpoint.root / "inbox"
        inbox.mkdir(exist_ok=True)
        for c in checks:
            (inbox / f"271_{c.envelope.interchange_control_number:09d}.x12").write_text(
                respond_271(build_270(c.request, c.envelope))
            )
        seen: list[str] = []
        started = time.perf_counter()
        report = adapter.collect(lambda f: seen.extend(f.trace_numbers))
        collected = time.perf_counter() - started
    print(f"send {n} files: {sent:.2f} s ({n / sent:.0f} files/s)")
    print(f"send again: {skipped} of {n} skipped as already sent, {resend:.2f} s")
    print(
        f"collect {len(report.processed)} files ({len(seen)} answers): {collected:.2f} s ({n / collected:.0f} files/s)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
