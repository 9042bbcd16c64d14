"""The note state machine: which transitions exist and what each requires (pure).

    draft ─sign─▶ awaiting_cosign ─cosign─▶ final
      │                 │
      └─sign─▶ final    └─return─▶ returned ─re-sign─▶ awaiting_cosign | final

`transition_problems` returns every reason a transition may not happen now; an empty list
means go. The service maps permission codes to PermissionDenied, a stale state to Conflict
and the rest to ValidationFailed, then applies the change with a conditional update.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from clinical_notes.domain.codes import NoteProblemCode as Code
from core.domain.problems import Problem, Severity


class NoteState(StrEnum):
    """Mirrors clinical_notes.models.NoteStatus (the domain may not import models)."""

    DRAFT = "draft"
    AWAITING_COSIGN = "awaiting_cosign"
    RETURNED = "returned"
    FINAL = "final"


class NoteAction(StrEnum):
    SIGN = "sign"
    COSIGN = "cosign"
    RETURN = "return"


EDITABLE_STATES = frozenset({NoteState.DRAFT, NoteState.RETURNED})

ALLOWED_TRANSITIONS: dict[tuple[NoteState, NoteState], NoteAction] = {
    (NoteState.DRAFT, NoteState.AWAITING_COSIGN): NoteAction.SIGN,
    (NoteState.DRAFT, NoteState.FINAL): NoteAction.SIGN,
    (NoteState.RETURNED, NoteState.AWAITING_COSIGN): NoteAction.SIGN,
    (NoteState.RETURNED, NoteState.FINAL): NoteAction.SIGN,
    (NoteState.AWAITING_COSIGN, NoteState.FINAL): NoteAction.COSIGN,
    (NoteState.AWAITING_COSIGN, NoteState.RETURNED): NoteAction.RETURN,
}

SIGN_ATTESTATION = (
    "I attest that I personally provided this service on the date and at the times documented, "
    "and that this note is accurate and complete."
)
COSIGN_ATTESTATION = (
    "I attest that I supervised this service, reviewed this note, and agree with its content."
)


@dataclass(frozen=True, slots=True)
class TransitionFacts:
    """What the rules need to judge a transition.

    `supervisor_ids` are the providers supervising the author on the date of service;
    `documentation_errors` are the blocking findings of the documentation checks (sign only);
    `action`, when given, is what the caller is doing: a (from, to) pair that means another
    action is not allowed (a supervisor "co-signing" a returned note is not a re-sign).
    """

    actor_provider_id: int | None
    author_provider_id: int
    requires_cosign: bool = False
    supervisor_ids: frozenset[int] = frozenset()
    documentation_errors: tuple[Problem, ...] = ()
    attested: bool = False
    comment: str = ""
    action: NoteAction | None = None


def target_state_for_sign(requires_cosign: bool) -> NoteState:
    return NoteState.AWAITING_COSIGN if requires_cosign else NoteState.FINAL


def action_for(from_state: NoteState | str, to_state: NoteState | str) -> NoteAction | None:
    return ALLOWED_TRANSITIONS.get((NoteState(from_state), NoteState(to_state)))


def _sign_problems(to_state: NoteState, facts: TransitionFacts) -> list[Problem]:
    problems: list[Problem] = []
    if facts.actor_provider_id is None or facts.actor_provider_id != facts.author_provider_id:
        problems.append(Problem(code=Code.NOT_AUTHOR, message="Only the note's author can sign it."))
        return problems
    if to_state is not target_state_for_sign(facts.requires_cosign):
        problems.append(
            Problem(
                code=Code.TRANSITION_NOT_ALLOWED,
                message="This note needs a co-signature before it is final."
                if facts.requires_cosign
                else "This note does not need a co-signature.",
            )
        )
    if facts.requires_cosign and not facts.supervisor_ids:
        problems.append(
            Problem(
                code=Code.NO_SUPERVISOR,
                message="This note needs a co-signature, but no supervisor is on record for you on the "
                "date of service.",
                field="date_of_service",
                fix_hint="Ask the practice admin to record your supervision for that date.",
            )
        )
    if not facts.attested:
        problems.append(
            Problem(
                code=Code.ATTESTATION_REQUIRED,
                message="Confirm the attestation to sign.",
                field="attested",
            )
        )
    if facts.documentation_errors:
        count = len(facts.documentation_errors)
        problems.append(
            Problem(
                code=Code.DOCUMENTATION_ERRORS,
                message=f"The note has {count} documentation problem{'s' if count != 1 else ''} to fix "
                "before signing.",
                fix_hint="See the checks next to the editor.",
            )
        )
    return problems


def _supervisor_problems(facts: TransitionFacts) -> list[Problem]:
    if facts.actor_provider_id is not None and facts.actor_provider_id == facts.author_provider_id:
        return [Problem(code=Code.SELF_COSIGN, message="You cannot co-sign or return your own note.")]
    if facts.actor_provider_id is None or facts.actor_provider_id not in facts.supervisor_ids:
        return [
            Problem(
                code=Code.NOT_SUPERVISOR,
                message="Only a supervisor of the author on the date of service can co-sign or return "
                "this note.",
            )
        ]
    return []


def transition_problems(
    from_state: NoteState | str, to_state: NoteState | str, facts: TransitionFacts
) -> list[Problem]:
    """Every reason the note cannot move from `from_state` to `to_state` now (empty: allowed)."""
    action = action_for(from_state, to_state)
    if action is None or (facts.action is not None and facts.action is not action):
        return [
            Problem(
                code=Code.TRANSITION_NOT_ALLOWED,
                message=f"A note that is {NoteState(from_state).value.replace('_', ' ')} cannot become "
                f"{NoteState(to_state).value.replace('_', ' ')}.",
            )
        ]
    if action is NoteAction.SIGN:
        return _sign_problems(NoteState(to_state), facts)
    problems = _supervisor_problems(facts)
    if problems:
        return problems
    if action is NoteAction.COSIGN and not facts.attested:
        problems.append(
            Problem(
                code=Code.ATTESTATION_REQUIRED,
                message="Confirm the attestation to co-sign.",
                field="attested",
            )
        )
    if action is NoteAction.RETURN and not facts.comment.strip():
        problems.append(
            Problem(
                code=Code.COMMENT_REQUIRED,
                message="Say what the author should change.",
                field="comment",
                severity=Severity.ERROR,
            )
        )
    return problems
