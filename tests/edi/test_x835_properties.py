"""Property tests of the 835 parser: 1,000 generated valid files parse and balance; 1,000
mutated ones either parse or raise a located X12Error, never anything else."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi.errors import X12Error
from edi.x835 import imbalances, parse_835, read_835
from tests.edi.samples_835 import envelope, header

GROUPS = ["CO", "PR", "OA", "PI", "CR"]
REASONS = ["45", "1", "2", "3", "197", "50", "253", "243", "B7", "999"]


def _money(cents: int) -> str:
    return f"{cents / 100:.2f}" if abs(cents) < 10**12 else str(Decimal(cents) / 100)


@st.composite
def adjustments(draw, total: int) -> list[str]:
    """CAS segments whose amounts add up to `total` cents (one to six triplets per CAS)."""
    if total == 0:
        return []
    parts = draw(st.integers(1, 8))
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    amounts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    segments = []
    while amounts:
        group = draw(st.sampled_from(GROUPS))
        take, amounts = amounts[:6], amounts[6:]
        triplets = "*".join(f"{draw(st.sampled_from(REASONS))}*{_money(a)}*" for a in take).rstrip("*")
        segments.append(f"CAS*{group}*{triplets}")
    return segments


@st.composite
def claims(draw, index: int) -> tuple[list[str], int]:
    lines = draw(st.integers(0, 3))
    body: list[str] = []
    total_charge = total_paid = 0
    line_segments: list[str] = []
    for n in range(lines):
        charge = draw(st.integers(0, 500_000))
        paid = draw(st.integers(0, charge))
        total_charge += charge
        total_paid += paid
        code = draw(st.sampled_from(["90837", "90834", "90791", "90785"]))
        modifiers = draw(st.sampled_from(["", ":95", ":HO:95"]))
        original = draw(st.sampled_from(["", "**1*HC:90837"]))
        line_segments.append(f"SVC*HC:{code}{modifiers}*{_money(charge)}*{_money(paid)}{original}")
        line_segments.append(f"DTM*472*202611{draw(st.integers(1, 28)):02d}")
        line_segments.extend(draw(adjustments(charge - paid)))
        if draw(st.booleans()):
            line_segments.append(f"REF*6R*L{index}-{n}")
        if draw(st.booleans()):
            line_segments.append(f"AMT*B6*{_money(paid)}")
    if lines == 0:
        total_charge = draw(st.integers(0, 500_000))
        total_paid = draw(st.integers(0, total_charge))
        claim_cas = draw(adjustments(total_charge - total_paid))
    else:
        claim_cas = []
    reversal = draw(st.booleans())
    sign = -1 if reversal else 1
    status = "22" if reversal else draw(st.sampled_from(["1", "2", "4", "19"]))
    if reversal:  # a reversal negates every amount
        line_segments = [_negate(s) for s in line_segments]
        claim_cas = [_negate(s) for s in claim_cas]
    body.append(
        f"CLP*PCN{index}*{status}*{_money(sign * total_charge)}*{_money(sign * total_paid)}**12*CCN{index}*11*1"
    )
    body.append(f"NM1*QC*1*DOE*PAT{index}****MI*M{index}")
    body.extend(claim_cas)
    body.extend(line_segments)
    return body, sign * total_paid


def _negate(segment: str) -> str:
    parts = segment.split("*")
    if parts[0] == "CAS":
        for i in range(3, len(parts), 3):
            if parts[i]:
                parts[i] = _money(-round(Decimal(parts[i]) * 100))
    elif parts[0] == "SVC":
        parts[2] = _money(-round(Decimal(parts[2]) * 100))
        parts[3] = _money(-round(Decimal(parts[3]) * 100))
    elif parts[0] == "AMT":
        parts[2] = _money(-round(Decimal(parts[2]) * 100))
    return "*".join(parts)


@st.composite
def transactions(draw, trace: str) -> list[str]:
    count = draw(st.integers(0, 4))
    body: list[str] = []
    paid = 0
    for index in range(count):
        segments, claim_paid = draw(claims(index))
        body.extend(segments)
        paid += claim_paid
    plb = draw(st.lists(st.integers(-10_000, 10_000), max_size=3))
    if plb:
        pairs = "*".join(
            f"{reason}:REF{n}*{_money(a)}"
            for n, (reason, a) in enumerate(zip(["L6", "WO", "FB"], plb, strict=False))
        )
        body.append(f"PLB*1234567893*20261231*{pairs}")
    bpr = paid - sum(plb)
    return [*header(_money(bpr), trace), "LX*1", *body]


@st.composite
def files(draw) -> str:
    count = draw(st.integers(1, 3))
    return envelope(*[draw(transactions(f"TRACE{n}")) for n in range(count)])


@settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(files())
def test_generated_valid_files_parse_and_balance(text):
    remittance = parse_835(text)
    for transaction in remittance.transactions:
        assert imbalances(transaction) == []


@st.composite
def mutated(draw) -> str:
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
def test_mutated_files_never_raise_anything_but_located_errors(text):
    remittance, error = read_835(text)  # read_835 catches X12Error only: anything else fails here
    if error is not None:
        assert isinstance(error, X12Error)
        assert error.segment_number is not None or "transaction set" in error.reason
        assert error.segment_number is None or error.position is not None
        return
    assert remittance is not None
    for transaction in remittance.transactions:
        imbalances(transaction)  # total: never raises
