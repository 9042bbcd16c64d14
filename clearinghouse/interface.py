"""The clearinghouse adapter interface (eligibility now; claims, acknowledgements and remittances
join it later).

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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

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
