"""Property tests of the 835 parser: 1,000 generated valid files parse and balance; 1,000
mutated ones either parse or raise a located X12Error, never anything else. The files are
generated as models and written by edi.x835_write (tests/edi/strategies_835.py, shared with the
writer's round-trip test)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi.errors import X12Error
from edi.x835 import imbalances, parse_835, read_835
from tests.edi.strategies_835 import files


@settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(files())
def test_generated_valid_files_parse_and_balance(text: str) -> None:
    remittance = parse_835(text)
    for transaction in remittance.transactions:
        assert imbalances(transaction) == []


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(files())
    kind = draw(st.sampled_from(["delete", "replace", "truncate", "insert", "swap", "element"]))
    at = draw(st.integers(0, max(len(text) - 1, 0)))
    if kind == "delete":
        return text[:at] + text[at + 1 :]
    if kind == "replace":
        return text[:at] + draw(st.sampled_from(list("*:~^A9.-\n "))) + text[at + 1 :]
    if kind == "truncate":
        return text[:at]
    if kind == "insert":
        return text[:at] + draw(st.text(alphabet="*:~^AZ09.-", max_size=6)) + text[at:]
    segments = text.split("~")
    if kind == "swap" and len(segments) > 3:
        i = draw(st.integers(0, len(segments) - 2))
        segments[i], segments[i + 1] = segments[i + 1], segments[i]
        return "~".join(segments)
    # element: blank out or corrupt one element of one body segment
    i = draw(st.integers(0, len(segments) - 1))
    parts = segments[i].split("*")
    j = draw(st.integers(0, len(parts) - 1))
    parts[j] = draw(st.sampled_from(["", "X", "-", "1E9", "NaN", "20261399", "HC"]))
    segments[i] = "*".join(parts)
    return "~".join(segments)


@settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(mutated())
def test_mutated_files_never_raise_anything_but_located_errors(text: str) -> None:
    remittance, error = read_835(text)  # read_835 catches X12Error only: anything else fails here
    if error is not None:
        assert isinstance(error, X12Error)
        assert error.segment_number is not None or "transaction set" in error.reason
        assert error.segment_number is None or error.position is not None
        return
    assert remittance is not None
    for transaction in remittance.transactions:
        imbalances(transaction)  # total: never raises
