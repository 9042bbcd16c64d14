"""The practice's clearinghouse for claims: send 837 files, collect 999/277CA/835 answers.

`CLAIMS_CLEARINGHOUSE` names it: "sandbox" (clearinghouse.sandbox_claims, a mailbox per
practice under CLAIMS_SANDBOX_DIR; refused in production unless CLAIMS_SANDBOX_ALLOWED), "sftp"
(the practice's SFTP batch connection), or, for tests, a dotted path "module:factory" to a
callable taking the practice's id (as EMAIL_BACKEND names a class).

The adapter is `clearinghouse.interface.ClaimsAdapter`: `submit_claims` idempotent by file name,
`collect_responses` without removing, `archive(name)` called only after the document was stored
and processed (committed).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any, cast

from django.conf import settings

from clearinghouse.interface import ClaimsAdapter, PermanentClearinghouseError
from clearinghouse.sandbox_claims import SandboxClaimsClearinghouse


def receipt_text(receipt: Any) -> str:
    """A short record of the clearinghouse's receipt (its id or its text)."""
    for attribute in ("submission_id", "receipt_id", "id", "reference"):
        value = getattr(receipt, attribute, None)
        if value:
            return str(value)[:200]
    return str(receipt)[:200] if receipt is not None else ""


def sandbox_allowed() -> bool:
    return bool(settings.DEBUG or settings.CLAIMS_SANDBOX_ALLOWED)


def sandbox_directory(practice_id: int) -> Path:
    """The practice's sandbox mailbox (one per practice: a collect returns only its answers)."""
    return Path(settings.CLAIMS_SANDBOX_DIR) / f"practice-{practice_id}"


def _sandbox(practice_id: int) -> ClaimsAdapter:
    return SandboxClaimsClearinghouse(
        sandbox_directory(practice_id), latency_ms=settings.CLAIMS_SANDBOX_LATENCY_MS
    )


def _sftp(practice_id: int) -> ClaimsAdapter:
    from practice.sftp import sftp_adapter_for

    adapter = sftp_adapter_for(practice_id=practice_id)
    if adapter is None:
        raise PermanentClearinghouseError("The practice has no SFTP connection for its clearinghouse.")
    return cast(ClaimsAdapter, adapter)


ADAPTERS: dict[str, Callable[[int], ClaimsAdapter]] = {"sandbox": _sandbox, "sftp": _sftp}


def clearinghouse_name() -> str:
    return str(settings.CLAIMS_CLEARINGHOUSE)


def claims_adapter_for(practice_id: int, name: str = "") -> ClaimsAdapter:
    """The adapter named `name` (default: the deployment's) for the practice."""
    name = name or clearinghouse_name()
    if not name:
        raise PermanentClearinghouseError("No clearinghouse is configured for claims.")
    if ":" in name:
        module_name, _, attribute = name.partition(":")
        factory = cast(Callable[[int], ClaimsAdapter], getattr(import_module(module_name), attribute))
        return factory(practice_id)
    chosen = ADAPTERS.get(name)
    if chosen is None:
        raise PermanentClearinghouseError(f"Unknown clearinghouse {name!r}.")
    if name == "sandbox" and not sandbox_allowed():
        raise PermanentClearinghouseError(
            "The sandbox clearinghouse is refused in production (it knows test members only)."
        )
    return chosen(practice_id)


def adapter_is_sandbox(practice_id: int) -> bool:
    """Whether the practice's files go to a test clearinghouse (ISA15 "T") rather than production."""
    return clearinghouse_name() != "sftp"
