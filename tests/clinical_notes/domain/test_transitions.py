"""The note state machine (pure)."""

from __future__ import annotations

import pytest

from clinical_notes.domain.codes import NoteProblemCode as Code
from clinical_notes.domain.transitions import (
    NoteAction,
    NoteState,
    TransitionFacts,
    action_for,
    target_state_for_sign,
    transition_problems,
)
from core.domain.problems import Problem

AUTHOR, SUPERVISOR, STRANGER = 1, 2, 3
D, A, R, F = NoteState.DRAFT, NoteState.AWAITING_COSIGN, NoteState.RETURNED, NoteState.FINAL
DOC_ERROR = Problem(code="missing_required_field", message="Plan is required.")


def facts(**overrides) -> TransitionFacts:
    values = {
        "actor_provider_id": AUTHOR,
        "author_provider_id": AUTHOR,
        "requires_cosign": True,
        "supervisor_ids": frozenset({SUPERVISOR}),
        "attested": True,
        "comment": "",
    }
    values.update(overrides)
    return TransitionFacts(**values)


@pytest.mark.parametrize(
    ("from_state", "to_state", "action"),
    [
        (D, A, NoteAction.SIGN),
        (D, F, NoteAction.SIGN),
        (R, A, NoteAction.SIGN),
        (R, F, NoteAction.SIGN),
        (A, F, NoteAction.COSIGN),
        (A, R, NoteAction.RETURN),
        (F, D, None),
        (F, R, None),
        (F, A, None),
        (D, R, None),
        (A, D, None),
        (R, D, None),
    ],
)
def test_which_transitions_exist(from_state, to_state, action):
    assert action_for(from_state, to_state) == action


def test_sign_target_depends_on_cosign():
    assert target_state_for_sign(True) is A
    assert target_state_for_sign(False) is F


@pytest.mark.parametrize(
    ("_case", "from_state", "to_state", "overrides", "expected"),
    [
        ("author signs a supervised note", D, A, {}, []),
        (
            "author signs an unsupervised note",
            D,
            F,
            {"requires_cosign": False, "supervisor_ids": frozenset()},
            [],
        ),
        ("author re-signs a returned note", R, A, {}, []),
        ("someone else signs", D, A, {"actor_provider_id": STRANGER}, [Code.NOT_AUTHOR]),
        ("no provider signs", D, A, {"actor_provider_id": None}, [Code.NOT_AUTHOR]),
        ("skipping the co-sign", D, F, {}, [Code.TRANSITION_NOT_ALLOWED]),
        (
            "asking for a co-sign nobody needs",
            D,
            A,
            {"requires_cosign": False},
            [Code.TRANSITION_NOT_ALLOWED],
        ),
        ("no supervisor on the date", D, A, {"supervisor_ids": frozenset()}, [Code.NO_SUPERVISOR]),
        ("not attested", D, A, {"attested": False}, [Code.ATTESTATION_REQUIRED]),
        ("documentation errors", D, A, {"documentation_errors": (DOC_ERROR,)}, [Code.DOCUMENTATION_ERRORS]),
        (
            "several at once",
            D,
            A,
            {"attested": False, "supervisor_ids": frozenset(), "documentation_errors": (DOC_ERROR,)},
            [Code.NO_SUPERVISOR, Code.ATTESTATION_REQUIRED, Code.DOCUMENTATION_ERRORS],
        ),
        ("supervisor co-signs", A, F, {"actor_provider_id": SUPERVISOR}, []),
        ("a stranger co-signs", A, F, {"actor_provider_id": STRANGER}, [Code.NOT_SUPERVISOR]),
        (
            "the author co-signs",
            A,
            F,
            {"supervisor_ids": frozenset({AUTHOR, SUPERVISOR})},
            [Code.SELF_COSIGN],
        ),
        (
            "co-sign not attested",
            A,
            F,
            {"actor_provider_id": SUPERVISOR, "attested": False},
            [Code.ATTESTATION_REQUIRED],
        ),
        (
            "supervisor returns with comments",
            A,
            R,
            {"actor_provider_id": SUPERVISOR, "comment": "Add the plan."},
            [],
        ),
        (
            "supervisor returns without comments",
            A,
            R,
            {"actor_provider_id": SUPERVISOR, "comment": "  "},
            [Code.COMMENT_REQUIRED],
        ),
        ("a stranger returns", A, R, {"actor_provider_id": STRANGER, "comment": "x"}, [Code.NOT_SUPERVISOR]),
        ("a final note is signed again", F, A, {}, [Code.TRANSITION_NOT_ALLOWED]),
        (
            "a final note is returned",
            F,
            R,
            {"actor_provider_id": SUPERVISOR, "comment": "x"},
            [Code.TRANSITION_NOT_ALLOWED],
        ),
        (
            "a returned note is co-signed",
            R,
            F,
            {"actor_provider_id": SUPERVISOR, "action": NoteAction.COSIGN},
            [Code.TRANSITION_NOT_ALLOWED],
        ),
        (
            "a draft is co-signed",
            D,
            F,
            {"actor_provider_id": SUPERVISOR, "action": NoteAction.COSIGN},
            [Code.TRANSITION_NOT_ALLOWED],
        ),
        ("the returned note re-signed as the action says", R, A, {"action": NoteAction.SIGN}, []),
    ],
)
def test_transition_problems(_case, from_state, to_state, overrides, expected):
    assert [p.code for p in transition_problems(from_state, to_state, facts(**overrides))] == expected


def test_transition_not_allowed_message_is_plain():
    (problem,) = transition_problems(F, R, facts(actor_provider_id=SUPERVISOR, comment="x"))
    assert problem.message == "A note that is final cannot become returned."
