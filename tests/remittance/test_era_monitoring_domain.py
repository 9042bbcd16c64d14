"""R19, pure: a payer with recent claims but no ERA for the threshold is silent (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from remittance.domain.era_monitoring import EraSilence, PayerEraFacts, era_silence, era_silences

TODAY = dt.date(2026, 12, 6)


def _facts(
    *, era_days_ago: int | None, claim_days_ago: int | None = 5, enrolled_days_ago: int | None = None
) -> PayerEraFacts:
    def ago(days: int | None) -> dt.date | None:
        return None if days is None else TODAY - dt.timedelta(days=days)

    return PayerEraFacts(
        payer_pk=1,
        payer_name="Synthetic Health Plan",
        last_era_on=ago(era_days_ago),
        last_claim_on=ago(claim_days_ago),
        era_enrolled_on=ago(enrolled_days_ago),
    )


@pytest.mark.parametrize(
    ("_case", "era_days_ago", "alert"),
    [
        ("20 days: not yet", 20, None),
        ("21 days: silent", 21, EraSilence(1, "Synthetic Health Plan", TODAY - dt.timedelta(days=21), 21)),
        ("yesterday", 1, None),
    ],
)
def test_r19_the_21_day_boundary(_case, era_days_ago, alert):
    assert era_silence(_facts(era_days_ago=era_days_ago), today=TODAY) == alert


@pytest.mark.parametrize(
    ("_case", "claim_days_ago", "silent"),
    [
        ("claim 60 days ago still expects an ERA", 60, True),
        ("claim 61 days ago does not", 61, False),
        ("no claim at all", None, False),
    ],
)
def test_r19_only_payers_with_claims_in_the_last_60_days(_case, claim_days_ago, silent):
    found = era_silence(_facts(era_days_ago=40, claim_days_ago=claim_days_ago), today=TODAY)
    assert (found is not None) is silent


def test_r19_the_threshold_is_a_parameter():
    facts = _facts(era_days_ago=10)
    assert era_silence(facts, today=TODAY, threshold_days=10) is not None
    assert era_silence(facts, today=TODAY, threshold_days=11) is None


def test_r19_before_the_first_era_the_enrolment_date_starts_the_clock():
    assert era_silence(_facts(era_days_ago=None, enrolled_days_ago=20), today=TODAY) is None
    assert era_silence(_facts(era_days_ago=None, enrolled_days_ago=21), today=TODAY) == EraSilence(
        1, "Synthetic Health Plan", TODAY - dt.timedelta(days=21), 21
    )


def test_r19_never_an_era_and_no_enrolment_date_is_an_alert_without_a_date():
    assert era_silence(_facts(era_days_ago=None), today=TODAY) == EraSilence(
        1, "Synthetic Health Plan", None, None
    )


def test_r19_alerts_list_never_received_first_then_the_longest_silence():
    payers = [
        PayerEraFacts(1, "B plan", TODAY - dt.timedelta(days=30), TODAY, None),
        PayerEraFacts(2, "A plan", TODAY - dt.timedelta(days=45), TODAY, None),
        PayerEraFacts(3, "C plan", None, TODAY, None),
        PayerEraFacts(4, "D plan", TODAY - dt.timedelta(days=3), TODAY, None),
    ]
    assert [a.payer_pk for a in era_silences(payers, today=TODAY)] == [3, 2, 1]
