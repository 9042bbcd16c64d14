"""Sending a claim batch exactly once (pure: no Django). Pitfall C16.

A batch's 837 is built once, when the batch is first claimed for sending: its control numbers
(ISA13, GS06, ST02) and its file name are stored with the file. Every later attempt (a retry, a
duplicate delivery, the relay's resend after a killed worker, a staff retry) sends that same
file under that same name, and the clearinghouse adapter's submit is idempotent by file name, so
a claim reaches the clearinghouse once however often the send runs. See the decision record
"batch send and acknowledgement states".
"""

from __future__ import annotations

from enum import StrEnum

from core.domain.backoff import MAX_ATTEMPTS

MAX_SEND_ATTEMPTS = MAX_ATTEMPTS  # the job gives up after as many: batch and job agree


class SendStep(StrEnum):
    BUILD = "build"  # first attempt: allocate control numbers, build and store the file, send it
    RESEND = "resend"  # the file exists: send it again under the same name (idempotent)
    NOTHING = "nothing"  # already sent: a duplicate delivery does nothing


def send_step(status: str, *, has_file: bool) -> SendStep:
    """What an attempt to send a batch in `status` does."""
    if status == "sent":
        return SendStep.NOTHING
    if status in {"queued", "sending", "needs_attention"}:
        return SendStep.RESEND if has_file else SendStep.BUILD
    raise ValueError(f"unknown batch status {status!r}")


def gives_up(attempts: int) -> bool:
    """After `attempts` failed attempts (this one included) the batch needs attention."""
    return attempts >= MAX_SEND_ATTEMPTS
