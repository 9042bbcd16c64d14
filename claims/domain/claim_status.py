"""The claim's state machine: which status may follow which, and why not (pure, no Django).

    draft ──> ready ──> queued ──> submitted ──> accepted_clearinghouse ──> accepted_payer
      ^         │  ^       │           │                 │                       │
      └─────────┘  └───────┘           v                 v                       v
                                    rejected <───────────┴──── paid / partially_paid / denied
                                       │                                   │
                                       └──> ready (fixed, same version)    ├──> appealed ──> paid/...
                                                                           └──> closed

* A claim that no payer has seen yet (draft, ready, queued; rejected by the clearinghouse or the
  payer's front end) is fixed in place: the same version goes back to `ready`. A rejection means
  the claim was never accepted for adjudication, so a fresh submission is still an original.
* Once a payer has accepted the claim (accepted_payer and after), it is never reopened in place:
  a change is a new version (frequency 7 replacement or 8 void, `replaces` = this claim, a new
  patient control number), and this one is `closed` by that new version. See decision record
  "claim states and versions".
* `voided`: withdrawn before any payer accepted it (draft, ready, queued, rejected), or, once the
  payer has it, after a void (frequency 8) of it was accepted. Never while in flight (submitted,
  accepted by the clearinghouse). Nothing is deleted.
* `paid`/`partially_paid`/`denied` may move among themselves: a payer's reversal and
  re-adjudication (CLP02 22 then a new CLP) re-records the outcome. A reversal with no new
  outcome goes back to `accepted_payer`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from core.domain.problems import Problem


class ClaimStatus(StrEnum):
    # Values mirror claims.models.ClaimStatus (a test keeps them in step).
    DRAFT = "draft"
    READY = "ready"
    QUEUED = "queued"
    SUBMITTED = "submitted"
    ACCEPTED_CLEARINGHOUSE = "accepted_clearinghouse"
    REJECTED = "rejected"
    ACCEPTED_PAYER = "accepted_payer"
    PAID = "paid"
    PARTIALLY_PAID = "partially_paid"
    DENIED = "denied"
    APPEALED = "appealed"
    CLOSED = "closed"
    VOIDED = "voided"


S = ClaimStatus

CLAIM_STATUS_LABELS: Mapping[ClaimStatus, str] = MappingProxyType(
    {
        S.DRAFT: "Draft",
        S.READY: "Ready",
        S.QUEUED: "Queued",
        S.SUBMITTED: "Submitted",
        S.ACCEPTED_CLEARINGHOUSE: "Accepted by the clearinghouse",
        S.REJECTED: "Rejected",
        S.ACCEPTED_PAYER: "Accepted by the payer",
        S.PAID: "Paid",
        S.PARTIALLY_PAID: "Partially paid",
        S.DENIED: "Denied",
        S.APPEALED: "Appealed",
        S.CLOSED: "Closed",
        S.VOIDED: "Voided",
    }
)

_ADJUDICATED = frozenset({S.PAID, S.PARTIALLY_PAID, S.DENIED})

TRANSITIONS: Mapping[ClaimStatus, frozenset[ClaimStatus]] = MappingProxyType(
    {
        S.DRAFT: frozenset({S.READY, S.VOIDED}),
        S.READY: frozenset({S.QUEUED, S.DRAFT, S.VOIDED}),
        S.QUEUED: frozenset({S.SUBMITTED, S.READY, S.VOIDED}),
        # A payer may answer (277CA or even an 835) before the clearinghouse's 277CA is read.
        S.SUBMITTED: frozenset({S.ACCEPTED_CLEARINGHOUSE, S.REJECTED, S.ACCEPTED_PAYER} | _ADJUDICATED),
        S.ACCEPTED_CLEARINGHOUSE: frozenset({S.ACCEPTED_PAYER, S.REJECTED} | _ADJUDICATED),
        S.REJECTED: frozenset({S.READY, S.DRAFT, S.VOIDED}),
        # `voided` after the payer: only once a void (frequency 8) of this claim was accepted
        # (the corrections service checks that; the table only says it may happen).
        S.ACCEPTED_PAYER: frozenset(_ADJUDICATED | {S.CLOSED, S.VOIDED}),
        S.PAID: frozenset({S.PARTIALLY_PAID, S.DENIED, S.ACCEPTED_PAYER, S.APPEALED, S.CLOSED, S.VOIDED}),
        S.PARTIALLY_PAID: frozenset({S.PAID, S.DENIED, S.ACCEPTED_PAYER, S.APPEALED, S.CLOSED, S.VOIDED}),
        S.DENIED: frozenset({S.PAID, S.PARTIALLY_PAID, S.ACCEPTED_PAYER, S.APPEALED, S.CLOSED, S.VOIDED}),
        S.APPEALED: frozenset(_ADJUDICATED | {S.CLOSED, S.VOIDED}),
        S.CLOSED: frozenset({S.VOIDED}),
        S.VOIDED: frozenset(),
    }
)

# The payer has this claim: a change is a new version, never an edit (see the module docstring).
PAYER_HAS_IT = frozenset({S.ACCEPTED_PAYER, S.PAID, S.PARTIALLY_PAID, S.DENIED, S.APPEALED, S.CLOSED})
# The claim may be edited in place (lines, diagnoses) and re-scrubbed.
EDITABLE = frozenset({S.DRAFT, S.READY, S.REJECTED})
# Terminal: nothing follows but a new version (closed) or nothing at all (voided).
TERMINAL = frozenset({S.VOIDED})
# Statuses of a claim that still holds its charges (a charge on such a claim is not re-assembled).
LIVE = frozenset(set(ClaimStatus) - {S.VOIDED})


class ClaimRuleCode:
    UNKNOWN_STATUS = "claim_status_unknown"
    SAME_STATUS = "claim_status_unchanged"
    NOT_ALLOWED = "claim_transition_not_allowed"
    NEW_VERSION_NEEDED = "claim_new_version_needed"


def _status(value: str) -> ClaimStatus | None:
    try:
        return ClaimStatus(value)
    except ValueError:
        return None


def transition_problems(from_status: str, to_status: str) -> list[Problem]:
    """Why a claim in `from_status` may not move to `to_status` (empty: it may)."""
    source, target = _status(from_status), _status(to_status)
    if source is None or target is None:
        unknown = from_status if source is None else to_status
        return [
            Problem(
                code=ClaimRuleCode.UNKNOWN_STATUS,
                message=f"“{unknown}” is not a claim status.",
                field="status",
            )
        ]
    if source is target:
        return [
            Problem(
                code=ClaimRuleCode.SAME_STATUS,
                message=f"The claim is already {CLAIM_STATUS_LABELS[source].lower()}.",
                field="status",
            )
        ]
    if target in TRANSITIONS[source]:
        return []
    if source in PAYER_HAS_IT and target in EDITABLE:
        return [
            Problem(
                code=ClaimRuleCode.NEW_VERSION_NEEDED,
                message=(
                    f"The payer already has this claim ({CLAIM_STATUS_LABELS[source].lower()}): "
                    "it cannot be reopened. Send a replacement or a void as a new version."
                ),
                field="status",
                fix_hint="Create a corrected claim (frequency 7) or a void (frequency 8).",
            )
        ]
    allowed = ", ".join(CLAIM_STATUS_LABELS[s].lower() for s in ClaimStatus if s in TRANSITIONS[source])
    return [
        Problem(
            code=ClaimRuleCode.NOT_ALLOWED,
            message=(
                f"A claim that is {CLAIM_STATUS_LABELS[source].lower()} cannot become "
                f"{CLAIM_STATUS_LABELS[target].lower()}"
                + (f"; it may become: {allowed}." if allowed else "; it is final.")
            ),
            field="status",
        )
    ]


def needs_new_version(status: str) -> bool:
    """True when a change to a claim in `status` must be a new version (the payer has it)."""
    found = _status(status)
    return found is not None and found in PAYER_HAS_IT
