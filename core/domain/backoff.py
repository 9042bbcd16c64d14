"""When a failed background job runs again: exponential backoff with full jitter, and when to stop.

Pure: the caller passes the random number, so the schedule is testable at its edges.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class RetryDecision:
    """After a failed attempt: run again after `delay_seconds`, or stop (needs attention)."""

    give_up: bool
    delay_seconds: float


def retry_after_failure(
    *, attempts: int, rand: float, base_seconds: float = 30.0, cap_seconds: float = 1800.0
) -> RetryDecision:
    """The decision after `attempts` attempts (this one included) have failed.

    Attempt n waits between half and the whole of base·2^(n-1), capped at `cap_seconds`
    ("equal jitter": never zero, so a failing job cannot spin; spread, so a batch that failed
    together does not retry together). `rand` is a number in [0, 1).
    """
    if attempts < 1:
        raise ValueError("attempts counts the attempt that just failed, so it is at least 1")
    if not 0.0 <= rand < 1.0:
        raise ValueError("rand must be in [0, 1)")
    if attempts >= MAX_ATTEMPTS:
        return RetryDecision(give_up=True, delay_seconds=0.0)
    ceiling = min(cap_seconds, base_seconds * 2 ** (attempts - 1))
    return RetryDecision(give_up=False, delay_seconds=ceiling / 2 + rand * ceiling / 2)
