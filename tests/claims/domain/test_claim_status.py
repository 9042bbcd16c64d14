"""The claim state machine, table-driven: every (from, to) pair is either allowed or refused
with a plain-language problem, and reopening what the payer has asks for a new version."""

from __future__ import annotations

import itertools

import pytest

from claims.domain.claim_status import (
    CLAIM_STATUS_LABELS,
    PAYER_HAS_IT,
    TRANSITIONS,
    ClaimRuleCode,
    ClaimStatus,
    needs_new_version,
    transition_problems,
)
from claims.models import ClaimStatus as ModelClaimStatus

S = ClaimStatus

ALLOWED = {
    (S.DRAFT, S.READY),
    (S.DRAFT, S.VOIDED),
    (S.READY, S.QUEUED),
    (S.READY, S.DRAFT),
    (S.READY, S.VOIDED),
    (S.QUEUED, S.SUBMITTED),
    (S.QUEUED, S.READY),
    (S.QUEUED, S.VOIDED),
    (S.SUBMITTED, S.ACCEPTED_CLEARINGHOUSE),
    (S.SUBMITTED, S.REJECTED),
    (S.SUBMITTED, S.ACCEPTED_PAYER),
    (S.SUBMITTED, S.PAID),
    (S.SUBMITTED, S.PARTIALLY_PAID),
    (S.SUBMITTED, S.DENIED),
    (S.ACCEPTED_CLEARINGHOUSE, S.ACCEPTED_PAYER),
    (S.ACCEPTED_CLEARINGHOUSE, S.REJECTED),
    (S.ACCEPTED_CLEARINGHOUSE, S.PAID),
    (S.ACCEPTED_CLEARINGHOUSE, S.PARTIALLY_PAID),
    (S.ACCEPTED_CLEARINGHOUSE, S.DENIED),
    (S.REJECTED, S.READY),
    (S.REJECTED, S.DRAFT),
    (S.REJECTED, S.VOIDED),
    (S.ACCEPTED_PAYER, S.PAID),
    (S.ACCEPTED_PAYER, S.PARTIALLY_PAID),
    (S.ACCEPTED_PAYER, S.DENIED),
    (S.ACCEPTED_PAYER, S.CLOSED),
    (S.ACCEPTED_PAYER, S.VOIDED),
    *[
        (a, b)
        for a in (S.PAID, S.PARTIALLY_PAID, S.DENIED)
        for b in (S.PAID, S.PARTIALLY_PAID, S.DENIED)
        if a != b
    ],
    *[
        (a, b)
        for a in (S.PAID, S.PARTIALLY_PAID, S.DENIED)
        for b in (S.ACCEPTED_PAYER, S.APPEALED, S.CLOSED, S.VOIDED)
    ],
    (S.APPEALED, S.PAID),
    (S.APPEALED, S.PARTIALLY_PAID),
    (S.APPEALED, S.DENIED),
    (S.APPEALED, S.CLOSED),
    (S.APPEALED, S.VOIDED),
    (S.CLOSED, S.VOIDED),
}


def test_model_choices_mirror_the_domain_statuses():
    assert {c.value for c in ModelClaimStatus} == {s.value for s in ClaimStatus}
    assert set(CLAIM_STATUS_LABELS) == set(ClaimStatus)


def test_the_table_is_exactly_the_documented_one():
    table = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert table == ALLOWED


@pytest.mark.parametrize(("source", "target"), list(itertools.product(ClaimStatus, ClaimStatus)))
def test_every_pair_is_allowed_or_refused_in_words(source, target):
    problems = transition_problems(source.value, target.value)
    if (source, target) in ALLOWED:
        assert problems == []
    else:
        assert len(problems) == 1
        assert problems[0].message.endswith(".")
        assert problems[0].field == "status"
        if source is target:
            assert problems[0].code == ClaimRuleCode.SAME_STATUS


@pytest.mark.parametrize("source", sorted(PAYER_HAS_IT))
@pytest.mark.parametrize("target", [S.DRAFT, S.READY])
def test_what_the_payer_has_is_never_reopened_in_place(source, target):
    (problem,) = transition_problems(source, target)
    assert problem.code == ClaimRuleCode.NEW_VERSION_NEEDED
    assert "new version" in problem.message
    assert needs_new_version(source)


@pytest.mark.parametrize("source", [S.DRAFT, S.READY, S.QUEUED, S.SUBMITTED, S.REJECTED])
def test_before_the_payer_has_it_no_new_version_is_needed(source):
    assert not needs_new_version(source)


def test_voided_is_final_and_says_so():
    (problem,) = transition_problems("voided", "ready")
    assert problem.code == ClaimRuleCode.NOT_ALLOWED
    assert "it is final" in problem.message


def test_in_flight_claims_cannot_be_voided():
    for source in ("submitted", "accepted_clearinghouse"):
        (problem,) = transition_problems(source, "voided")
        assert problem.code == ClaimRuleCode.NOT_ALLOWED
        assert "may become" in problem.message


def test_unknown_status_is_named():
    (problem,) = transition_problems("draft", "lost")
    assert problem.code == ClaimRuleCode.UNKNOWN_STATUS
    assert "“lost”" in problem.message
