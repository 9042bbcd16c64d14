"""core.domain.backoff: when a failed job runs again, and when it stops."""

from __future__ import annotations

import pytest

from core.domain.backoff import MAX_ATTEMPTS, retry_after_failure


@pytest.mark.parametrize(
    ("attempts", "rand", "delay"),
    [
        (1, 0.0, 15.0),  # half of 30 s
        (1, 0.999999, 29.999985),
        (2, 0.0, 30.0),
        (3, 0.5, 90.0),  # ceiling 120: 60 + 30
        (4, 0.0, 120.0),
    ],
)
def test_the_delay_doubles_with_each_attempt_within_equal_jitter(attempts, rand, delay):
    decision = retry_after_failure(attempts=attempts, rand=rand)
    assert decision.give_up is False
    assert decision.delay_seconds == pytest.approx(delay)


def test_the_fifth_failure_gives_up_and_the_fourth_does_not():
    assert MAX_ATTEMPTS == 5
    assert retry_after_failure(attempts=4, rand=0.3).give_up is False
    assert retry_after_failure(attempts=5, rand=0.3).give_up is True
    assert retry_after_failure(attempts=6, rand=0.3).give_up is True


def test_the_delay_is_capped():
    decision = retry_after_failure(attempts=4, rand=0.99, base_seconds=600, cap_seconds=1000)
    assert decision.delay_seconds == pytest.approx(500 + 0.99 * 500)


def test_jitter_spreads_a_batch_that_failed_together():
    delays = {retry_after_failure(attempts=2, rand=r / 10).delay_seconds for r in range(10)}
    assert len(delays) == 10
    assert min(delays) >= 30.0
    assert max(delays) < 60.0


@pytest.mark.parametrize(("attempts", "rand"), [(0, 0.5), (1, -0.1), (1, 1.0)])
def test_nonsense_input_is_refused(attempts, rand):
    with pytest.raises(ValueError, match="attempts|rand"):
        retry_after_failure(attempts=attempts, rand=rand)
