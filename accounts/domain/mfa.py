"""What the two-factor page says when wrong codes have locked the device (django-otp throttling)."""

from __future__ import annotations

import datetime as dt
import math

WRONG_CODE = "That code is not valid."


def mfa_locked_message(*, failure_count: int, locked_until: dt.datetime, now: dt.datetime) -> str:
    """Plain words: how many wrong codes, how long to wait (whole seconds, at least 1)."""
    seconds = max(1, math.ceil((locked_until - now).total_seconds()))
    wait = f"{seconds} second{'s' if seconds != 1 else ''}"
    codes = f"{failure_count} wrong code{'s' if failure_count != 1 else ''} in a row"
    return (
        f"Two-factor sign-in is locked after {codes}. Wait {wait}, then enter the code your "
        "authenticator app shows at that moment. Each further wrong code doubles the wait."
    )
