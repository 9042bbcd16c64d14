"""MFA enrolment codes: their lifetime, their state, and how a typed code is compared.

An admin issues a code; the user types it before an authenticator is shown to them. No one
enrols a device with a password alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum

CODE_LIFETIME = dt.timedelta(hours=24)
# Unambiguous characters (no 0/O, 1/I/L): 16 of them in four groups, about 78 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
CODE_GROUP = 4


class CodeState(StrEnum):
    VALID = "valid"
    USED = "used"
    REVOKED = "revoked"
    EXPIRED = "expired"


CODE_STATE_LABELS: dict[CodeState, str] = {
    CodeState.VALID: "Waiting to be used",
    CodeState.USED: "Used",
    CodeState.REVOKED: "Replaced or cancelled",
    CodeState.EXPIRED: "Expired",
}


def code_state(
    *,
    expires_at: dt.datetime,
    used_at: dt.datetime | None,
    revoked_at: dt.datetime | None,
    now: dt.datetime,
) -> CodeState:
    """Used and revoked win over expiry; a code is valid strictly before `expires_at`."""
    if used_at is not None:
        return CodeState.USED
    if revoked_at is not None:
        return CodeState.REVOKED
    if now >= expires_at:
        return CodeState.EXPIRED
    return CodeState.VALID


def normalize_code(text: str) -> str:
    """What the user typed, as issued: upper case, no spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def format_code(raw: str) -> str:
    """ABCD-EFGH-JKMN-PQRS: easier to read out and type."""
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, len(raw), CODE_GROUP))


def code_digest(text: str) -> str:
    """The stored form of a code (hex SHA-256 of the normalized code)."""
    return hashlib.sha256(normalize_code(text).encode()).hexdigest()


def code_is_well_formed(text: str) -> bool:
    raw = normalize_code(text)
    return len(raw) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in raw)
