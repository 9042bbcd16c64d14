"""What may be done with a denial, and what it becomes (pitfalls D5, D6, R4).

- A rejection (the claim never reached the payer) is corrected and resubmitted, never
  appealed (D5); so is a claim the payer calls unprocessable (RARC MA130).
- Only a payer's patient-responsibility (PR) amount may move to the patient; a CO amount is the
  provider's liability and never does (D6).
- A denial never writes itself off (R4): writing off is a person's action, permission-gated in
  the service, and needs a reason here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    OPEN = "open"
    IN_APPEAL = "in_appeal"
    RESUBMITTED = "resubmitted"
    TRANSFERRED = "transferred"
    WRITTEN_OFF = "written_off"
    RESOLVED = "resolved"


class Operation(StrEnum):
    CORRECT_AND_RESUBMIT = "correct_and_resubmit"
    APPEAL = "appeal"
    TRANSFER_TO_PATIENT = "transfer_to_patient"
    WRITE_OFF = "write_off"
    RESOLVE = "resolve"  # the money arrived (the corrected claim was paid)


class Source(StrEnum):
    PAYER = "payer"  # adjudicated: an ERA denied it
    REJECTION = "rejection"  # never reached the payer (999 / 277CA)


class Outcome(StrEnum):
    PENDING = "pending"
    WON = "won"
    PARTIALLY_WON = "partially_won"
    LOST = "lost"


CLOSED = frozenset({Status.TRANSFERRED, Status.WRITTEN_OFF, Status.RESOLVED})
MIN_REASON_LENGTH = 10

_TARGET = {
    Operation.CORRECT_AND_RESUBMIT: Status.RESUBMITTED,
    Operation.APPEAL: Status.IN_APPEAL,
    Operation.TRANSFER_TO_PATIENT: Status.TRANSFERRED,
    Operation.WRITE_OFF: Status.WRITTEN_OFF,
    Operation.RESOLVE: Status.RESOLVED,
}
_FROM = {
    Operation.CORRECT_AND_RESUBMIT: frozenset({Status.OPEN}),
    Operation.APPEAL: frozenset({Status.OPEN}),
    Operation.TRANSFER_TO_PATIENT: frozenset({Status.OPEN}),
    Operation.WRITE_OFF: frozenset({Status.OPEN, Status.RESUBMITTED}),
    Operation.RESOLVE: frozenset({Status.OPEN, Status.RESUBMITTED}),
}


@dataclass(frozen=True, slots=True)
class DenialFacts:
    status: str
    group: str
    source: str = Source.PAYER
    appeal_rights: bool = True


def target_status(operation: Operation) -> Status:
    return _TARGET[operation]


def operation_problems(operation: Operation, facts: DenialFacts) -> list[str]:
    """Why `operation` is not allowed on this denial now ([] when it is)."""
    status = Status(facts.status)
    if status not in _FROM[operation]:
        if status in CLOSED:
            return [f"This denial is closed ({status.value.replace('_', ' ')})."]
        return [f"Not possible while the denial is {status.value.replace('_', ' ')}."]
    if operation is Operation.APPEAL and facts.source == Source.REJECTION:
        return [
            "A rejected claim never reached the payer: correct and resubmit it; there is nothing to appeal."
        ]
    if operation is Operation.APPEAL and not facts.appeal_rights:
        return [
            "The payer could not process this claim: correct and resubmit it; there is nothing to appeal."
        ]
    if operation is Operation.TRANSFER_TO_PATIENT and facts.group != "PR":
        if facts.group == "CO":
            return ["A CO amount is the provider's liability: it is never billed to the patient."]
        return ["Only an amount the payer assigned to the patient (group PR) may move to the patient."]
    return []


def allowed_operations(facts: DenialFacts) -> tuple[Operation, ...]:
    return tuple(op for op in Operation if not operation_problems(op, facts))


def write_off_reason_problems(reason: str) -> list[str]:
    if len(reason.strip()) < MIN_REASON_LENGTH:
        return [f"Say why this is written off (at least {MIN_REASON_LENGTH} characters)."]
    return []


def outcome_status(outcome: Outcome) -> Status:
    """A won appeal resolves the denial; partially won or lost returns it to the queue (the rest
    is appealed at the next level, corrected or written off by a person)."""
    if outcome is Outcome.WON:
        return Status.RESOLVED
    if outcome is Outcome.PENDING:
        return Status.IN_APPEAL
    return Status.OPEN


def outcome_problems(outcome: Outcome, *, recovered_cents: int, denied_cents: int) -> list[str]:
    if outcome is Outcome.PENDING:
        return ["Choose the outcome: won, partially won or lost."]
    if recovered_cents < 0:
        return ["The amount recovered cannot be negative."]
    if recovered_cents > denied_cents:
        return ["The amount recovered cannot exceed the amount denied."]
    if outcome is Outcome.LOST and recovered_cents:
        return ["A lost appeal recovers nothing: choose partially won."]
    if outcome is Outcome.PARTIALLY_WON and not 0 < recovered_cents < denied_cents:
        return ["A partial win recovers some, not all, of the amount denied."]
    return []
