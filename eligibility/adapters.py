"""The practice's clearinghouse adapter (`clearinghouse.interface.EligibilityAdapter`).

`ADAPTERS` maps a name to a factory taking the practice's id: the sandbox ignores it, the SFTP
batch adapter (`clearinghouse.sftp`) is built from the practice's `SftpConnection`
(`practice.sftp`). An SFTP check sends its 270 and polls for the 271 with the workflow's backoff;
the beat's collector (`eligibility_sftp_collect`) stores the answers as they arrive.
The sandbox answers for synthetic test members only: with DEBUG off it is refused unless
ELIGIBILITY_SANDBOX_ALLOWED is set for a demo (and `checks.sandbox_refused_in_production`
fails `manage.py check` when the deployment's default is the sandbox).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from clearinghouse.interface import EligibilityAdapter, PermanentClearinghouseError
from clearinghouse.sandbox import SandboxClearinghouse
from clearinghouse.sftp import SFTP_NAME, SftpBatchClearinghouse
from core.errors import ValidationFailed
from practice.sftp import sftp_adapter_for


def _sandbox(practice_id: int) -> EligibilityAdapter:
    return SandboxClearinghouse(latency_ms=settings.ELIGIBILITY_SANDBOX_LATENCY_MS)


def sftp_adapter(practice_id: int) -> SftpBatchClearinghouse:
    """The practice's SFTP batch adapter; a permanent error when it has no usable connection."""
    try:
        adapter = sftp_adapter_for(practice_id=practice_id)
    except ValidationFailed as error:  # the passphrase's environment variable is missing
        raise PermanentClearinghouseError(error.message) from error
    if adapter is None:
        raise PermanentClearinghouseError("The practice has no SFTP connection for its clearinghouse.")
    return adapter


ADAPTERS: dict[str, Callable[[int], EligibilityAdapter]] = {"sandbox": _sandbox, "sftp": sftp_adapter}
ADAPTER_LABELS: dict[str, str] = {"sandbox": "Sandbox (test members only)", "sftp": SFTP_NAME}


def sandbox_allowed() -> bool:
    return bool(settings.DEBUG or settings.ELIGIBILITY_SANDBOX_ALLOWED)


def clearinghouse_name(chosen: str) -> str:
    """The practice's choice, or the deployment's default when it made none."""
    return chosen or settings.ELIGIBILITY_CLEARINGHOUSE


def adapter_for(name: str, *, practice_id: int) -> EligibilityAdapter:
    if not name:
        raise PermanentClearinghouseError("No clearinghouse is configured for eligibility checks.")
    factory = ADAPTERS.get(name)
    if factory is None:
        raise PermanentClearinghouseError(f"Unknown clearinghouse {name!r}.")
    if name == "sandbox" and not sandbox_allowed():
        raise PermanentClearinghouseError(
            "The sandbox clearinghouse is refused in production (it knows test members only)."
        )
    return factory(practice_id)
