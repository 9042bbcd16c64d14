"""A clearinghouse for tests that keeps its state in a directory, so a test and a real Celery
worker (another process) share it: `CLAIMS_CLEARINGHOUSE="tests.claims.fake_clearinghouse:adapter"`
and `FAKE_CLEARINGHOUSE_DIR` (environment) name it.

* `submit_claims` is idempotent by file name, as the real adapters are: the file is written to a
  temporary name and hard-linked to its final name (which fails if it exists), so two attempts,
  even at once, make one submission; each accepted submission appends a line to `accepted.log`.
* Phases a fault test can aim at: the adapter touches `phases/<file>.<phase>.<pid>.<n>` when it
  reaches "before" (nothing written), "during" (temporary file written, not yet submitted) and
  "after" (submitted, the caller has not recorded it), then sleeps `FAKE_CLEARINGHOUSE_PAUSE`
  seconds there.
* `FAKE_CLEARINGHOUSE_FAIL` = "transient" or "permanent" (or the same word in the practice's
  `fail` file): every submit fails that way.
* Responses: a test drops documents in `outbox/<kind>/<name>`; `collect_responses` lists them,
  `archive(name)` moves one to `archive/`.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from clearinghouse.interface import (
    InboundDocument,
    PermanentClearinghouseError,
    SubmissionReceipt,
    TransientClearinghouseError,
)

KINDS = ("999", "277CA", "835")


class DirectoryClearinghouse:
    name = "test-directory"
    is_sandbox = True

    def __init__(self, root: Path) -> None:
        self.root = root
        for sub in ("submitted", "tmp", "phases", "archive", *(f"outbox/{k}" for k in KINDS)):
            (root / sub).mkdir(parents=True, exist_ok=True)

    def _phase(self, file_name: str, phase: str) -> None:
        (self.root / "phases" / f"{file_name}.{phase}.{os.getpid()}.{uuid.uuid4().hex[:6]}").touch()
        pause = float(os.environ.get("FAKE_CLEARINGHOUSE_PAUSE", "0") or 0)
        if pause:
            time.sleep(pause)

    def submit_claims(self, file_name: str, x12: str) -> SubmissionReceipt:
        marker = self.root / "fail"
        failing = os.environ.get("FAKE_CLEARINGHOUSE_FAIL", "") or (
            marker.read_text(encoding="utf-8").strip() if marker.exists() else ""
        )
        if failing == "transient":
            raise TransientClearinghouseError("The clearinghouse answered 503 (test).")
        if failing == "permanent":
            raise PermanentClearinghouseError("The clearinghouse refused the credentials (test).")
        self._phase(file_name, "before")
        target = self.root / "submitted" / file_name
        if target.exists():
            return self._receipt(file_name, x12, already=True)  # the first submission's receipt
        tmp = self.root / "tmp" / f"{file_name}.{uuid.uuid4().hex}"
        tmp.write_text(x12, encoding="utf-8")
        self._phase(file_name, "during")
        try:
            os.link(tmp, target)
        except FileExistsError:
            return self._receipt(file_name, x12, already=True)
        finally:
            tmp.unlink(missing_ok=True)
        with (self.root / "accepted.log").open("a", encoding="utf-8") as log:
            log.write(file_name + "\n")
        self._phase(file_name, "after")
        return self._receipt(file_name, x12, already=False)

    @staticmethod
    def _receipt(file_name: str, x12: str, *, already: bool) -> SubmissionReceipt:
        digest = hashlib.sha256(x12.encode()).hexdigest()
        return SubmissionReceipt(
            file_name, f"T-{digest[:10]}", digest, datetime.now(UTC), already_submitted=already
        )

    def collect_responses(self) -> list[InboundDocument]:
        documents = []
        for kind in KINDS:
            for path in sorted((self.root / "outbox" / kind).iterdir()):
                documents.append(InboundDocument(kind, path.name, path.read_text(encoding="utf-8")))  # type: ignore[arg-type]
        return documents

    def archive(self, name: str) -> None:
        for kind in KINDS:
            path = self.root / "outbox" / kind / name
            if path.exists():
                path.rename(self.root / "archive" / name)

    # -- for tests

    def drop(self, kind: str, name: str, text: str) -> None:
        (self.root / "outbox" / kind / name).write_text(text, encoding="utf-8")

    def submissions(self) -> dict[str, str]:
        return {p.name: p.read_text(encoding="utf-8") for p in sorted((self.root / "submitted").iterdir())}

    def accepted_log(self) -> list[str]:
        log = self.root / "accepted.log"
        return log.read_text(encoding="utf-8").split() if log.exists() else []

    def phases(self) -> list[str]:
        return sorted(p.name for p in (self.root / "phases").iterdir())


def adapter(practice_id: int) -> DirectoryClearinghouse:
    return DirectoryClearinghouse(Path(os.environ["FAKE_CLEARINGHOUSE_DIR"]) / f"practice-{practice_id}")
