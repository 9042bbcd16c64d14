"""The practice's clearinghouse for claims: send 837 files, collect 999/277CA/835 answers.

`CLAIMS_CLEARINGHOUSE` names it: "sandbox" (the simulator, refused in production like the
eligibility sandbox), "sftp" (the practice's SFTP batch connection), or, for tests, a dotted path
"module:factory" to a callable taking the practice's id (as EMAIL_BACKEND names a class).

What the claims side needs of an adapter (`ClaimsAdapter`, structural):
* `submit_claims(file_name, x12)`: idempotent by file name (the same name twice is one
  submission; the second call returns the first receipt). Raises the clearinghouse's transient
  or permanent errors.
* `collect_responses()`: the documents waiting (kind "999", "277CA" or "835", name, text).
* `archive(name)`: called only after the document was stored and processed (committed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path
from typing import Any, Protocol, cast, runtime_checkable

from django.conf import settings

from clearinghouse.interface import PermanentClearinghouseError


class InboundDocumentLike(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def text(self) -> str: ...


@runtime_checkable
class ClaimsAdapter(Protocol):
    def submit_claims(self, file_name: str, x12: str) -> Any: ...

    def collect_responses(self) -> Sequence[InboundDocumentLike]: ...

    def archive(self, name: str) -> None: ...


def receipt_text(receipt: Any) -> str:
    """A short record of the clearinghouse's receipt (its id or its text)."""
    for attribute in ("submission_id", "receipt_id", "id", "reference"):
        value = getattr(receipt, attribute, None)
        if value:
            return str(value)[:200]
    return str(receipt)[:200] if receipt is not None else ""


def sandbox_allowed() -> bool:
    return bool(settings.DEBUG or settings.ELIGIBILITY_SANDBOX_ALLOWED)


def _sandbox(practice_id: int) -> ClaimsAdapter:
    module = import_module("clearinghouse.sandbox_claims")
    factory = getattr(module, "SandboxClaimsClearinghouse")  # noqa: B009 (merged in by sandbox837)
    root = Path(getattr(settings, "CLEARINGHOUSE_SANDBOX_DIR", settings.BASE_DIR / "var" / "sandbox"))
    return cast(ClaimsAdapter, factory(root / f"practice-{practice_id}"))


def _sftp(practice_id: int) -> ClaimsAdapter:
    from practice.sftp import sftp_adapter_for

    adapter = sftp_adapter_for(practice_id=practice_id)
    if adapter is None:
        raise PermanentClearinghouseError("The practice has no SFTP connection for its clearinghouse.")
    return cast(ClaimsAdapter, adapter)


ADAPTERS: dict[str, Callable[[int], ClaimsAdapter]] = {"sandbox": _sandbox, "sftp": _sftp}


def clearinghouse_name() -> str:
    return str(settings.CLAIMS_CLEARINGHOUSE or settings.ELIGIBILITY_CLEARINGHOUSE)


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
