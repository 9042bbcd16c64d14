"""System checks: production refuses the sandbox clearinghouse (eligibility, and claims: the same
sandbox family, checked here beside it) unless a demo explicitly allows it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def sandbox_refused_in_production(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if settings.DEBUG or settings.ELIGIBILITY_SANDBOX_ALLOWED:
        return []
    if settings.ELIGIBILITY_CLEARINGHOUSE != "sandbox":
        return []
    return [
        Error(
            "ELIGIBILITY_CLEARINGHOUSE is 'sandbox' with DEBUG off: the sandbox answers for test members "
            "only and must not be used in production.",
            hint="Configure a real clearinghouse, or set ELIGIBILITY_SANDBOX_ALLOWED=1 for a demo.",
            id="eligibility.E001",
        )
    ]


@register()
def claims_sandbox_refused_in_production(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if settings.DEBUG or settings.CLAIMS_SANDBOX_ALLOWED:
        return []
    if settings.CLAIMS_CLEARINGHOUSE != "sandbox":
        return []
    return [
        Error(
            "CLAIMS_CLEARINGHOUSE is 'sandbox' with DEBUG off: the sandbox answers claims of test members "
            "only and must not be used in production.",
            hint="Configure a real clearinghouse, or set CLAIMS_SANDBOX_ALLOWED=1 for a demo.",
            id="eligibility.E002",
        )
    ]
