"""The clearinghouse adapter interfaces: eligibility (270/271) and claims (837 up; 999, 277CA and
835 back).

An adapter takes an `EligibilityCheck` (the typed 270 request and its envelope, whose control
numbers the caller allocated) and returns an `EligibilityResult`: the raw 270 sent, the raw 271
received and its parsed form. Failures are exceptions of two kinds:

- `TransientClearinghouseError`: try again later (timeouts, 5xx, connection refused). The
  workflow retries these with backoff.
- `PermanentClearinghouseError`: retrying would not help (bad credentials, a 271 that cannot
  be parsed or answers another inquiry). Recorded and shown, never retried. `response_x12`
  keeps whatever came back, so it is stored as evidence.

A payer that answered "unable to respond now" (AAA 42/80) is a parsed result, not an exception:
`EligibilityResult.payer_unavailable` says so and the workflow retries it like a transient error.

A `ClaimsAdapter` works in files, like every clearinghouse does for claims:

- `submit_claims(file_name, x12)` uploads one 837 file and returns a `SubmissionReceipt`. It is
  idempotent by file name: a name already submitted is not submitted again, and the receipt of
  the first submission comes back (`already_submitted=True`), so a retried or duplicated send
  never sends a claim twice. Raises the transient/permanent errors above (a file the
  clearinghouse refuses outright, before any acknowledgement, is permanent: pitfall K2).
- `collect_responses()` returns every response document waiting in the practice's mailbox (999,
  277CA, 835), oldest first, WITHOUT removing it. The caller stores and handles each one, and
  only then calls `archive(name)`. A document not archived (the worker died, the handler failed)
  comes back on the next collect, so the caller's handling must be idempotent (keyed by the
  document's sha256 or name). `collect_and_archive(adapter, handle)` is that loop.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol, runtime_checkable

from edi.reader import read_interchange
from edi.x270 import EligibilityRequest, Envelope
from edi.x271 import Response271


@dataclass(frozen=True, slots=True)
class EligibilityCheck:
    request: EligibilityRequest
    envelope: Envelope


@dataclass(frozen=True, slots=True)
class EligibilityResult:
    request_x12: str
    response_x12: str
    response: Response271

    @property
    def errors(self) -> list[str]:
        return [error.code for entry in self.response.transactions for error in entry.errors]

    @property
    def payer_unavailable(self) -> bool:
        """Every AAA error says the payer could not answer now (and there is at least one)."""
        errors = [error for entry in self.response.transactions for error in entry.errors]
        return bool(errors) and all(error.transient for error in errors)


class ClearinghouseError(Exception):
    def __init__(self, message: str, *, request_x12: str = "", response_x12: str = "") -> None:
        super().__init__(message)
        self.request_x12 = request_x12
        self.response_x12 = response_x12


class TransientClearinghouseError(ClearinghouseError):
    """Retry later: the clearinghouse or the network failed, not the inquiry."""


class PermanentClearinghouseError(ClearinghouseError):
    """Do not retry: the inquiry or the response is wrong."""


@runtime_checkable
class EligibilityAdapter(Protocol):
    name: str
    is_sandbox: bool

    def check_eligibility(self, check: EligibilityCheck) -> EligibilityResult: ...


# -- claims -----------------------------------------------------------------------------------------

DocumentKind = Literal["999", "277CA", "835"]
DOCUMENT_KINDS: tuple[DocumentKind, ...] = ("999", "277CA", "835")


_KINDS_BY_SET: dict[str, DocumentKind] = {"999": "999", "277": "277CA", "835": "835"}


def document_kind(text: str) -> DocumentKind | None:
    """The claims response kind of an X12 file (by its first ST01), or None for another
    transaction (a 271). Raises X12Error when the text is not a readable interchange."""
    interchange = read_interchange(text)
    if not interchange.transactions:
        return None
    return _KINDS_BY_SET.get(interchange.transactions[0].set_id)


@dataclass(frozen=True, slots=True)
class SubmissionReceipt:
    """The clearinghouse took the file. `submission_id` is its reference for the upload."""

    file_name: str
    submission_id: str
    sha256: str  # of the file as received
    received_at: datetime
    already_submitted: bool = False  # this name was submitted before: nothing was sent now


@dataclass(frozen=True, slots=True)
class InboundDocument:
    """A response file from the clearinghouse. `name` is stable: the same document collected
    again has the same name (and the same text)."""

    kind: DocumentKind
    name: str
    text: str
    submission_file: str = ""  # the 837 file it answers, when the clearinghouse says so

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


@runtime_checkable
class ClaimsAdapter(Protocol):
    name: str
    is_sandbox: bool

    def submit_claims(self, file_name: str, x12: str) -> SubmissionReceipt: ...

    def collect_responses(self) -> list[InboundDocument]: ...

    def archive(self, name: str) -> None: ...


@dataclass(slots=True)
class CollectOutcome:
    archived: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (name, error): left to collect again


def collect_and_archive(adapter: ClaimsAdapter, handle: Callable[[InboundDocument], None]) -> CollectOutcome:
    """Collect, hand each document to `handle`, archive it only when `handle` returned. A handler
    that raises leaves its document in the mailbox for the next collect (never lost)."""
    outcome = CollectOutcome()
    for document in adapter.collect_responses():
        try:
            handle(document)
        except Exception as error:  # noqa: BLE001 (any handler failure: keep the document)
            outcome.failed.append((document.name, f"{type(error).__name__}: {error}"))
            continue
        adapter.archive(document.name)
        outcome.archived.append(document.name)
    return outcome
