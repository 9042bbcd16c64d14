import datetime as dt

import pytest

from core.domain.problems import Severity
from patients.domain.consents import (
    consent_is_active,
    consent_problems,
    consent_revocation_problems,
    consent_state,
    part2_consent_active,
    part2_consent_problems,
)
from patients.domain.types import ConsentFacts, ConsentInput

D = dt.date
ON = D(2026, 3, 16)


def part2(signed=None, expires=None, revoked=None) -> ConsentFacts:
    return ConsentFacts(
        kind="part2_tpo", signed_on=signed or D(2026, 1, 1), expires_on=expires, revoked_on=revoked
    )


@pytest.mark.parametrize(
    ("_case", "consents", "active"),
    [
        ("none", [], False),
        ("signed earlier, open", [part2()], True),
        ("signed that day", [part2(signed=ON)], True),
        ("signed the next day", [part2(signed=D(2026, 3, 17))], False),
        ("expires that day", [part2(expires=ON)], True),
        ("expired the day before", [part2(expires=D(2026, 3, 15))], False),
        ("revoked that day", [part2(revoked=ON)], False),
        ("revoked the next day", [part2(revoked=D(2026, 3, 17))], True),
        ("only a treatment consent", [ConsentFacts(kind="treatment", signed_on=D(2026, 1, 1))], False),
        (
            "an old revoked one and a new one",
            [part2(revoked=D(2026, 2, 1)), part2(signed=D(2026, 2, 2))],
            True,
        ),
    ],
)
def test_part2_consent_active(_case, consents, active):
    assert part2_consent_active(consents, on=ON) is active


def test_consent_is_active_for_any_kind():
    assert consent_is_active(ConsentFacts(kind="treatment", signed_on=D(2026, 1, 1)), on=ON) is True


@pytest.mark.parametrize(
    ("_case", "consent", "state"),
    [
        ("active", part2(), "active"),
        ("revoked", part2(revoked=D(2026, 3, 1)), "revoked"),
        ("expired", part2(expires=D(2026, 3, 1)), "expired"),
        ("pending", part2(signed=D(2026, 4, 1)), "pending"),
    ],
)
def test_consent_state(_case, consent, state):
    assert consent_state(consent, on=ON) == state


def test_part2_warning_only_for_substance_use_patients_without_consent():
    # when
    missing = part2_consent_problems(is_substance_use_program=True, consents=[], on=ON)
    covered = part2_consent_problems(is_substance_use_program=True, consents=[part2()], on=ON)
    not_part2 = part2_consent_problems(is_substance_use_program=False, consents=[], on=ON)
    # then
    assert [(p.code, p.severity) for p in missing] == [("part2_consent_missing", Severity.WARNING)]
    assert covered == []
    assert not_part2 == []


@pytest.mark.parametrize(
    ("_case", "consent", "fields"),
    [
        ("treatment", ConsentInput(kind="treatment", signed_on=ON), []),
        (
            "signed tomorrow",
            ConsentInput(kind="treatment", signed_on=D(2026, 3, 17)),
            [("signed_on", "date_in_future")],
        ),
        ("not signed", ConsentInput(kind="treatment", signed_on=None), [("signed_on", "required")]),
        (
            "expires before signed",
            ConsentInput(kind="treatment", signed_on=ON, expires_on=D(2026, 3, 15)),
            [("expires_on", "date_order")],
        ),
        (
            "part2 without recipient or purpose",
            ConsentInput(kind="part2_tpo", signed_on=ON),
            [("recipient", "required"), ("purpose", "required")],
        ),
        (
            "part2 complete",
            ConsentInput(kind="part2_tpo", signed_on=ON, recipient="Payers of record", purpose="Payment"),
            [],
        ),
        (
            "release without recipient",
            ConsentInput(kind="release_of_information", signed_on=ON),
            [("recipient", "required")],
        ),
        ("unknown kind", ConsentInput(kind="blood_oath", signed_on=ON), [("kind", "consent_kind_invalid")]),
    ],
)
def test_consent_problems(_case, consent, fields):
    assert [(p.field, p.code) for p in consent_problems(consent, today=ON)] == fields


@pytest.mark.parametrize(
    ("_case", "already", "revoked", "codes"),
    [
        ("ok", None, ON, []),
        ("before signing", None, D(2025, 12, 31), ["date_order"]),
        ("tomorrow", None, D(2026, 3, 17), ["date_in_future"]),
        ("again on another day", D(2026, 2, 1), ON, ["consent_already_revoked"]),
        ("again that day", ON, ON, []),
    ],
)
def test_consent_revocation_problems(_case, already, revoked, codes):
    problems = consent_revocation_problems(
        signed_on=D(2026, 1, 1), revoked_already_on=already, revoked_on=revoked, today=ON
    )
    assert [p.code for p in problems] == codes
