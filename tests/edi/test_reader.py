"""edi.reader: delimiters from the ISA, tolerant tokenizing, envelope checks with located errors."""

from __future__ import annotations

import pytest

from edi.errors import X12SyntaxError
from edi.reader import Delimiters, detect_delimiters, read_interchange, tokenize
from tests.edi.samples import SOURCE_ONLY


def test_delimiters_come_from_the_isa():
    # given: a file with unusual delimiters (| elements, > components, ! repetitions, ' terminator)
    text = SOURCE_ONLY.replace("*", "|").replace("~", "'").replace("|^|", "|!|").replace("|:'", "|>'")

    # when
    delimiters, start = detect_delimiters(text)
    interchange = read_interchange(text)

    # then
    assert (delimiters, start) == (Delimiters(element="|", component=">", repetition="!", segment="'"), 0)
    assert [s.id for s in interchange.segments] == [
        "ISA", "GS", "ST", "BHT", "HL", "NM1", "AAA", "SE", "GE", "IEA",
    ]  # fmt: skip
    assert interchange.transactions[0].segments[3].get(3) == "42"


@pytest.mark.parametrize(
    ("_case", "text"),
    [
        ("LF between segments", SOURCE_ONLY),
        ("CRLF between segments", SOURCE_ONLY.replace("\n", "\r\n")),
        ("one line", SOURCE_ONLY.replace("\n", "")),
        ("byte order mark and blank lines", "\ufeff\n" + SOURCE_ONLY.replace("~\n", "~\r\n\r\n")),
    ],
)
def test_line_breaks_between_segments_are_tolerated(_case, text):
    # when
    segments = tokenize(text)

    # then
    assert [s.id for s in segments][:4] == ["ISA", "GS", "ST", "BHT"]
    assert len(segments) == 10
    assert segments[-1].get(2) == "000000017"


def test_a_newline_can_be_the_segment_terminator():
    # given
    text = SOURCE_ONLY.replace("~\n", "\n").replace("*:\n", "*:\n", 1)

    # when
    interchange = read_interchange(text)

    # then
    assert interchange.delimiters.segment == "\n"
    assert len(interchange.transactions[0].segments) == 4


def test_segment_number_and_position_are_recorded():
    # when
    segments = tokenize(SOURCE_ONLY)

    # then
    gs = segments[1]
    assert (gs.id, gs.number, gs.position) == ("GS", 2, SOURCE_ONLY.index("GS*"))
    assert gs.get(8) == "005010X279A1"
    assert gs.get(9) == ""  # absent element reads as empty


def test_repetitions_and_components():
    # given
    text = SOURCE_ONLY.replace("AAA*Y**42*P~", "EB*1**MH^A6^AI*****:HC:90837~")

    # when
    eb = tokenize(text)[6]

    # then
    assert eb.repetitions(3) == ["MH", "A6", "AI"]
    assert eb.components(8) == ["", "HC", "90837"]


def _lines(*replacements: tuple[str, str]) -> str:
    text = SOURCE_ONLY
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize(
    ("_case", "text", "message"),
    [
        ("no ISA", "GS*HB*X~", "segment 1 (ISA) at character 0: the file does not start with an ISA segment"),
        (
            "ISA cut short",
            SOURCE_ONLY[:60],
            "segment 1 (ISA) at character 0: the ISA segment is truncated (fewer than 16 elements)",
        ),
        (
            "file cut in the middle of a segment",
            SOURCE_ONLY[: SOURCE_ONLY.index("AAA") + 5],
            f"segment 7 (AAA) at character {SOURCE_ONLY.index('AAA')}: the file is truncated: this segment has "
            "no terminator '~' (is the file complete?)",
        ),
        (
            "file cut after a whole segment",
            SOURCE_ONLY[: SOURCE_ONLY.index("SE*")],
            f"segment 7 (AAA) at character {SOURCE_ONLY.index('AAA')}: the file is truncated: SE expected after "
            "this segment",
        ),
        (
            "SE count one too high",
            _lines(("SE*6*0001", "SE*7*0001")),
            f"segment 8 (SE01) at character {SOURCE_ONLY.index('SE*')}: counts 7 segments (ST to SE), the file "
            "holds 6",
        ),
        (
            "SE count one too low",
            _lines(("SE*6*0001", "SE*5*0001")),
            f"segment 8 (SE01) at character {SOURCE_ONLY.index('SE*')}: counts 5 segments (ST to SE), the file "
            "holds 6",
        ),
        (
            "SE control number differs from ST",
            _lines(("SE*6*0001", "SE*6*0002")),
            f"segment 8 (SE02) at character {SOURCE_ONLY.index('SE*')}: control number '0002' does not match "
            "ST02 '0001'",
        ),
        (
            "GE count wrong",
            _lines(("GE*1*23", "GE*2*23")),
            f"segment 9 (GE01) at character {SOURCE_ONLY.index('GE*')}: counts 2 transaction sets, the file "
            "holds 1",
        ),
        (
            "GE control number differs from GS06",
            _lines(("GE*1*23", "GE*1*24")),
            f"segment 9 (GE02) at character {SOURCE_ONLY.index('GE*')}: control number '24' does not match "
            "GS06 '23'",
        ),
        (
            "IEA control number differs from ISA13",
            _lines(("IEA*1*000000017", "IEA*1*000000018")),
            f"segment 10 (IEA02) at character {SOURCE_ONLY.index('IEA*')}: control number '000000018' does not "
            "match ISA13 '000000017'",
        ),
        (
            "lower-case segment id",
            _lines(("NM1*PR", "nm1*PR")),
            f"segment 6 (nm1) at character {SOURCE_ONLY.index('NM1*PR')}: 'nm1' is not a segment identifier",
        ),
        (
            "ST inside a transaction",
            _lines(("AAA*Y**42*P~", "ST*271*0002~")),
            f"segment 7 (ST) at character {SOURCE_ONLY.index('AAA')}: ST found before the SE that closes ST 0001",
        ),
        (
            "data after the IEA",
            SOURCE_ONLY + "GS*HB*A*B*20260301*0931*24*X*005010X279A1~\n",
            f"segment 11 (GS) at character {len(SOURCE_ONLY)}: data after the IEA (one interchange per file)",
        ),
    ],
)
def test_malformed_input_names_segment_and_position(_case, text, message):
    # when
    with pytest.raises(X12SyntaxError) as caught:
        read_interchange(text)

    # then
    assert str(caught.value) == message
