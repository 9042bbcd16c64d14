"""The practice's clearinghouse adapter (`clearinghouse.interface.EligibilityAdapter`).

`ADAPTERS` maps a name to a factory; the SFTP batch adapter registers itself here the same way.
The sandbox answers for synthetic test members only: with DEBUG off it is refused unless
ELIGIBILITY_SANDBOX_ALLOWED is set for a demo (and `checks.sandbox_refused_in_production`
fails `manage.py check` when the deployment's default is the sandbox).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from clearinghouse.interface import EligibilityAdapter, PermanentClearinghouseError
from clearinghouse.sandbox import SandboxClearinghouse


def _sandbox() -> EligibilityAdapter:
    return SandboxClearinghouse(latency_ms=settings.ELIGIBILITY_SANDBOX_LATENCY_MS)


ADAPTERS: dict[str, Callable[[], EligibilityAdapter]] = {"sandbox": _sandbox}
ADAPTER_LABELS: dict[str, str] = {"sandbox": "Sandbox (test members only)"}


def sandbox_allowed() -> bool:
    return bool(settings.DEBUG or settings.ELIGIBILITY_SANDBOX_ALLOWED)


def clearinghouse_name(chosen: str) -> str:
    """The practice's choice, or the deployment's default when it made none."""
    return chosen or settings.ELIGIBILITY_CLEARINGHOUSE


def adapter_for(name: str) -> EligibilityAdapter:
    if not name:
        raise PermanentClearinghouseError("No clearinghouse is configured for eligibility checks.")
    factory = ADAPTERS.get(name)
    if factory is None:
        raise PermanentClearinghouseError(f"Unknown clearinghouse {name!r}.")
    if name == "sandbox" and not sandbox_allowed():
        raise PermanentClearinghouseError(
            "The sandbox clearinghouse is refused in production (it knows test members only)."
        )
    return factory()
