"""edi.x999_write and edi.x277ca_write: read_999 / read_277ca read back what was written
(generated), the envelopes count and match (ISA13 = IEA02, GS06 = GE02, ST02 = SE02, SE01), the
277CA's HL chain is the guide's, and pyx12 validates both.

K8: our readers take the same documents with other delimiters, CRLF line breaks, indentation and
lower-case free text, and read them to the same values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi.reader import read_interchange, tokenize
from edi.x277ca import read_277ca
from edi.x277ca_write import Acknowledgement277, ClaimNote, ProviderNote, StatusNote, write_277ca
from edi.x999 import read_999
from edi.x999_write import ElementNote, GroupAcknowledgement, SegmentNote, SetAcknowledgement, write_999
from tests.edi.pyx12_oracle import pyx12_validate
from tests.edi.samples837 import envelope

ENVELOPE = envelope(
    sender_id="SBXCH", receiver_id="PARITY", interchange_control_number=901, group_control_number=901
)
SLOW = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}

# -- 999 ------------------------------------------------------------------------------------------

element_notes = st.builds(
    ElementNote,
    position=st.sampled_from(["1", "2", "9", "1:2", "5:3"]),
    reference=st.sampled_from(["67", "234", "782", "1251"]),
    code=st.sampled_from(["1", "6", "7", "8"]),
    bad_value=st.sampled_from(["", "SB 1001", "20261310", "ABC"]),
)
segment_notes = st.builds(
    SegmentNote,
    segment_id=st.sampled_from(["NM1", "SV1", "DTP", "CLM"]),
    position=st.integers(2, 999),
    loop=st.sampled_from(["2010", "2400", "2300", ""]),
    code=st.sampled_from(["8", "3", "2"]),
    elements=st.lists(element_notes, max_size=3).map(tuple),
    context=st.sampled_from(["", "CLM01:CLM000002"]),
)


@st.composite
def groups(draw: st.DrawFn) -> GroupAcknowledgement:
    sets = []
    for number in range(1, draw(st.integers(1, 6)) + 1):
        status = draw(st.sampled_from("AERMWX"))
        errors = tuple(draw(st.lists(segment_notes, max_size=3))) if status != "A" else ()
        codes = ("5",) if status not in {"A", "E"} else ()
        sets.append(SetAcknowledgement(f"{number:04d}", status, errors, codes))
    return GroupAcknowledgement(str(draw(st.integers(1, 999_999))), tuple(sets))


@settings(max_examples=60, **SLOW)  # type: ignore[arg-type]
@given(st.lists(groups(), min_size=1, max_size=3))
def test_read_999_reads_back_what_was_written(acknowledged: list[GroupAcknowledgement]) -> None:
    text = write_999(acknowledged, ENVELOPE)
    acks = read_999(text)
    assert len(acks) == len(acknowledged)
    for group, ack in zip(acknowledged, acks, strict=True):
        assert (ack.functional_id, ack.group_control_number, ack.version) == ("HC", group.group_control_number,
                                                                               "005010X222A1")  # fmt: skip
        assert (ack.group_status, ack.included, ack.received, ack.accepted_count) == (
            group.status, len(group.sets), len(group.sets), group.accepted_count)  # fmt: skip
        for written, read in zip(group.sets, ack.sets, strict=True):
            assert (read.set_id, read.control_number, read.status, read.codes) == (
                "837", written.control_number, written.status, written.codes)  # fmt: skip
            assert [(e.segment_id, e.position, e.loop, e.code) for e in read.errors] == [
                (e.segment_id, e.position, e.loop, e.code) for e in written.errors
            ]
            assert [
                [(x.position, x.reference, x.code, x.bad_value) for x in e.elements] for e in read.errors
            ] == [
                [(x.position, x.reference, x.code, x.bad_value) for x in e.elements] for e in written.errors
            ]
    _envelope_matches(text, "FA", [str(n) for n in range(1, len(acknowledged) + 1)])


def _envelope_matches(text: str, functional_id: str, controls: list[str]) -> None:
    interchange = read_interchange(text)  # checks every count and control number pair itself
    assert interchange.isa.get(13) == interchange.iea.get(2) == "000000901"
    ((gs, ge),) = interchange.groups
    assert (gs.get(1), gs.get(6), ge.get(2), ge.get(1)) == (functional_id, "901", "901", str(len(controls)))
    assert [t.control_number.lstrip("0") for t in interchange.transactions] == controls
    for transaction in interchange.transactions:
        assert transaction.trailer.get(2) == transaction.control_number
        assert int(transaction.trailer.get(1)) == len(transaction.segments) + 2


def test_999_group_status_is_per_set() -> None:  # K1
    def group(*statuses: str) -> str:
        return GroupAcknowledgement(
            "1", tuple(SetAcknowledgement(f"{n:04d}", s) for n, s in enumerate(statuses))
        ).status

    assert [group("A", "A"), group("A", "E"), group("A", "R"), group("R", "R")] == ["A", "E", "P", "R"]


@settings(max_examples=15, **SLOW)  # type: ignore[arg-type]
@given(groups())
def test_written_999s_pass_pyx12(group: GroupAcknowledgement) -> None:
    ok, ack = pyx12_validate(write_999([group], ENVELOPE))
    assert ok, ack


# -- 277CA ----------------------------------------------------------------------------------------

ACCEPT = StatusNote("A2", "20", "PR")
statuses = st.sampled_from(
    [
        ACCEPT,
        StatusNote("A1", "19", "PR"),
        StatusNote("A7", "562", "85", free_text="NPI NOT ENROLLED"),
        StatusNote("A3", "21", "", amount=Decimal("10")),
        StatusNote("A7", "164", "IL"),
    ]  # fmt: skip
)


@st.composite
def claim_notes(draw: st.DrawFn, number: int) -> ClaimNote:
    start = date(2026, 3, draw(st.integers(1, 20)))
    return ClaimNote(
        claim_id=f"CLM{number:06d}",
        charge=Decimal(draw(st.integers(1, 99_999))) / 100,
        patient_last="RIVERA",
        patient_first=draw(st.sampled_from(["ANA", "LEO"])),
        member_id=f"SBX{number:04d}",
        statuses=tuple(draw(st.lists(statuses, min_size=1, max_size=2))),
        service_from=start,
        service_to=draw(st.sampled_from([None, start, date(2026, 3, 25)])),
        payer_claim_number=draw(st.sampled_from(["", f"PAYER{number}"])),
        clearinghouse_trace=draw(st.sampled_from(["", f"TRACE-{number}"])),
    )


@st.composite
def acknowledgements(draw: st.DrawFn) -> Acknowledgement277:
    counter = iter(range(1, 100))
    providers = tuple(
        ProviderNote(
            f"PRACTICE {p}",
            "1234567893",
            tuple(draw(claim_notes(next(counter))) for _ in range(draw(st.integers(1, 3)))),
        )  # fmt: skip
        for p in range(draw(st.integers(1, 2)))
    )
    payer = draw(st.booleans())
    return Acknowledgement277(
        sender_name="SANDBOX HEALTH" if payer else "SANDBOX CLEARINGHOUSE", sender_qualifier="PR" if payer else "AY",
        sender_id="SBXPAYER" if payer else "SBXCH", receiver_name="CALM WATERS COUNSELING", receiver_id="PARITY",
        trace="T1", batch_reference="B000001", received=date(2026, 3, 11), processed=date(2026, 3, 12),
        providers=providers,
    )  # fmt: skip


def _hl_chain(text: str) -> list[tuple[str, str, str]]:
    """(HL01, HL02, HL03) of every HL, checked: numbered 1.., each parent earlier, the levels
    nested 20 > 21 > 19 > PT."""
    parents = {"20": "", "21": "20", "19": "21", "PT": "19"}
    seen: dict[str, str] = {}
    chain = []
    for segment in tokenize(text):
        if segment.id == "ST":
            seen = {}
        if segment.id != "HL":
            continue
        number, parent, level = segment.get(1), segment.get(2), segment.get(3)
        assert number == str(len(seen) + 1)
        assert seen.get(parent, "") == parents[level]
        seen[number] = level
        chain.append((number, parent, level))
    return chain


@settings(max_examples=60, **SLOW)  # type: ignore[arg-type]
@given(st.lists(acknowledgements(), min_size=1, max_size=2))
def test_read_277ca_reads_back_what_was_written(written: list[Acknowledgement277]) -> None:
    text = write_277ca(written, ENVELOPE)
    read = read_277ca(text)
    for ack, parsed in zip(written, read, strict=True):
        assert (parsed.sender_name, parsed.sender_qualifier, parsed.sender_id) == (
            ack.sender_name, ack.sender_qualifier, ack.sender_id)  # fmt: skip
        assert parsed.from_clearinghouse is (ack.sender_qualifier == "AY")
        assert [level for level, _ in parsed.level_statuses] == ["21"] + ["19"] * len(ack.providers)
        claims = [claim for provider in ack.providers for claim in provider.claims]
        assert [(c.claim_id, c.payer_claim_control_number, c.clearinghouse_trace, c.charge) for c in parsed.claims] == [
            (c.claim_id, c.payer_claim_number, c.clearinghouse_trace,
             c.charge if c.statuses[0].amount is None else c.statuses[0].amount)  # the reader: STC04 of the first
            for c in claims
        ]  # fmt: skip
        for claim, parsed_claim in zip(claims, parsed.claims, strict=True):
            assert [(s.category, s.code, s.entity, s.free_text) for s in parsed_claim.statuses] == [
                (s.category, s.code, s.entity, s.free_text) for s in claim.statuses
            ]
            assert parsed_claim.rejected is (not claim.accepted)
            assert parsed_claim.patient_last_name == claim.patient_last
    chain = _hl_chain(text)
    assert sum(1 for _, _, level in chain if level == "PT") == sum(
        len(p.claims) for a in written for p in a.providers
    )
    _envelope_matches(text, "HN", [str(n) for n in range(1, len(written) + 1)])


@settings(max_examples=15, **SLOW)  # type: ignore[arg-type]
@given(acknowledgements())
def test_written_277cas_pass_pyx12(ack: Acknowledgement277) -> None:
    ok, result = pyx12_validate(write_277ca([ack], ENVELOPE))
    assert ok, result


# -- K8: real-world variations ------------------------------------------------------------------------


def _variant(text: str, element: str, component: str, repetition: str, terminator: str) -> str:
    table: dict[str, str | int | None] = {"*": element, ":": component, "^": repetition, "~": terminator}
    return text.translate(str.maketrans(table))


VARIANTS = [
    ("|", ">", "!", "~\r\n"),  # pipes, CRLF after every segment
    ("*", ">", "{", "\n"),  # new line as the segment terminator
    ("^", "\\", "`", "~\n   "),  # indented (pretty-printed)
]


def _sample_277() -> str:
    claim = ClaimNote("CLM000001", Decimal("150"), "Rivera", "Ana", "SBX1001",
                      (StatusNote("A7", "562", "85", free_text="npi not enrolled"),), date(2026, 3, 10),
                      payer_claim_number="PAYER1")  # fmt: skip
    return write_277ca([Acknowledgement277("Sandbox Health", "PR", "SBXPAYER", "Calm Waters", "PARITY", "T1",
                                           "B1", date(2026, 3, 11), date(2026, 3, 12),
                                           (ProviderNote("Calm Waters", "1234567893", (claim,)),))], ENVELOPE)  # fmt: skip


def _sample_999() -> str:
    error = SegmentNote("NM1", 12, "2010", "8", (ElementNote("9", "67", "7", "SB 1001"),), "CLM01:CLM000002")
    return write_999([GroupAcknowledgement("23", (SetAcknowledgement("0001"),
                                                  SetAcknowledgement("0002", "R", (error,), ("5",))))], ENVELOPE)  # fmt: skip


def test_readers_take_other_delimiters_line_breaks_and_indentation() -> None:  # K8
    ack999, ack277 = _sample_999(), _sample_277()
    (base999,) = read_999(ack999)
    (base277,) = read_277ca(ack277)
    assert base277.claims[0].statuses[0].free_text == "npi not enrolled"  # lower case kept as sent
    for element, component, repetition, terminator in VARIANTS:
        (other999,) = read_999(_variant(ack999, element, component, repetition, terminator))
        assert (other999.group_status, [(s.control_number, s.status) for s in other999.sets]) == (
            base999.group_status, [(s.control_number, s.status) for s in base999.sets])  # fmt: skip
        assert other999.sets[1].errors[0].elements[0].bad_value == "SB 1001"
        (other277,) = read_277ca(_variant(ack277, element, component, repetition, terminator))
        status = other277.claims[0].statuses[0]
        assert (status.category, status.code, status.entity) == ("A7", "562", "85")
        assert other277.claims[0].payer_claim_control_number == "PAYER1"
