"""edi.x270: the 270 builder, read back by x12sdk and by our reader, and structurally checked."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi.check270 import check_270
from edi.codes import SERVICE_TYPES
from edi.errors import MemberIdError, X12ValueError
from edi.reader import read_interchange
from edi.x270 import Person, Provider, build_270, normalize_request, place_patient, read_270
from tests.edi.oracle import x12sdk_request
from tests.edi.samples import CHILD, SUBSCRIBER, envelope, request

GOLDEN_SUBSCRIBER = (
    "ISA*00*          *00*          *ZZ*PARITY         *ZZ*SBXCH          *260301*0930*^*00501*000000017*0*T*:~\n"
    "GS*HS*PARITY*SBXCH*20260301*0930*23*X*005010X279A1~\n"
    "ST*270*0001*005010X279A1~\n"
    "BHT*0022*13*ELG-000001*20260301*0930~\n"
    "HL*1**20*1~\n"
    "NM1*PR*2*SANDBOX HEALTH*****PI*SBXPAYER~\n"
    "HL*2*1*21*1~\n"
    "NM1*1P*2*CALM WATERS COUNSELING*****XX*1234567893~\n"
    "HL*3*2*22*0~\n"
    "TRN*1*ELG-000001*9PARITYEHR~\n"
    "NM1*IL*1*RIVERA*ANA****MI*SBX1001~\n"
    "DMG*D8*19850402*F~\n"
    "DTP*291*D8*20260310~\n"
    "EQ*MH~\n"
    "SE*13*0001~\n"
    "GE*1*23~\n"
    "IEA*1*000000017~\n"
)


def test_subscriber_270_is_exact():
    # when
    text = build_270(request(), envelope(), line_breaks=True)

    # then
    assert text == GOLDEN_SUBSCRIBER
    assert build_270(request(), envelope()) == GOLDEN_SUBSCRIBER.replace("\n", "")


def test_dependent_270_chains_20_21_22_23_and_puts_the_inquiry_on_the_dependent():
    # given
    inquiry = request(
        dependent=CHILD, service_types=("MH", "A6"), subscriber=replace(SUBSCRIBER, group_number="grp 44")
    )

    # when
    text = build_270(inquiry, envelope(), line_breaks=True)

    # then
    assert text.splitlines()[8:-3] == [
        "HL*3*2*22*1~",
        "NM1*IL*1*RIVERA*ANA****MI*SBX1001~",
        "REF*6P*GRP 44~",
        "DMG*D8*19850402*F~",
        "HL*4*3*23*0~",
        "TRN*1*ELG-000001*9PARITYEHR~",
        "NM1*03*1*RIVERA*LEO~",
        "DMG*D8*20140930*M~",
        "DTP*291*D8*20260310~",
        "EQ*MH~",
        "EQ*A6~",
    ]
    assert text.splitlines()[-3] == "SE*18*0001~"
    assert check_270(text) == []


VARIANTS = [
    ("subscriber is the patient", request()),
    ("dependent without an id", request(dependent=CHILD)),
    ("several service types", request(service_types=("30", "MH", "A6", "AI", "98"))),
    ("provider is a person", request(provider=Provider(name="Okafor", first_name="Ngozi", npi="1234567893"))),
    ("no birth date", request(subscriber=Person(last_name="Kim", first_name="Jo", member_id="SBX1002"))),
    ("gender without birth date is not sent", request(subscriber=Person("Kim", "Jo", "SBX1002", gender="F"))),
    ("group number", request(subscriber=replace(SUBSCRIBER, group_number="G-100"))),
]


@pytest.mark.parametrize(("_case", "inquiry"), VARIANTS)
def test_x12sdk_reads_back_the_same_request(_case, inquiry):
    # when
    text = build_270(inquiry, envelope())

    # then: an independent reader (x12sdk's validated models) sees the request we meant
    assert x12sdk_request(text) == normalize_request(inquiry)


@pytest.mark.parametrize(("_case", "inquiry"), VARIANTS)
def test_our_reader_reads_back_the_same_request_and_the_checker_passes_it(_case, inquiry):
    # when
    text = build_270(inquiry, envelope())

    # then
    assert read_270(text)[0] == normalize_request(inquiry)
    assert check_270(text) == []


def test_the_service_date_is_the_appointments_not_the_day_it_is_sent():
    # given: pitfall E6 -- appointment on 2026-03-10, policy effective 2024-01-01, sent 2026-03-01
    inquiry = request(service_date=date(2026, 3, 10))

    # when
    text = build_270(inquiry, envelope(created=datetime(2026, 3, 1, 9, 30)))  # noqa: DTZ001

    # then
    assert "DTP*291*D8*20260310~" in text
    assert text.count("DTP*") == 1
    assert x12sdk_request(text).service_date == date(2026, 3, 10)


def test_envelope_counts_and_control_numbers():
    # given: pitfall E7
    text = build_270(
        request(dependent=CHILD),
        envelope(interchange_control_number=905, group_control_number=77, transaction_control_number=12),
    )

    # when
    interchange = read_interchange(text)

    # then: read_interchange has checked SE01/GE01/IEA01 and the control number pairs
    assert interchange.isa.get(13) == "000000905"
    assert interchange.iea.get(2) == "000000905"
    assert (interchange.groups[0][0].get(6), interchange.groups[0][1].get(2)) == ("77", "77")
    assert (interchange.transactions[0].control_number, interchange.transactions[0].trailer.get(2)) == (
        "0012",
        "0012",
    )
    assert interchange.transactions[0].trailer.get(1) == str(len(interchange.transactions[0].segments) + 2)


@pytest.mark.parametrize(
    ("_case", "member_id", "message"),
    [
        ("asterisk (element separator)", "SBX*1001", "3 to 30 letters, digits or hyphens"),
        ("tilde (segment terminator)", "SBX1001~", "3 to 30 letters, digits or hyphens"),
        ("colon (component separator)", "SBX:1001", "3 to 30 letters, digits or hyphens"),
        ("caret (repetition separator)", "SBX^1001", "3 to 30 letters, digits or hyphens"),
        ("space inside", "SBX 1001", "3 to 30 letters, digits or hyphens"),
        ("too short", "AB", "3 to 30 letters, digits or hyphens"),
        ("31 characters", "A" * 31, "3 to 30 letters, digits or hyphens"),
        ("empty", "", "A member ID is required."),
    ],
)
def test_member_ids_with_forbidden_characters_are_refused_clearly(_case, member_id, message):
    # given
    inquiry = request(subscriber=replace(SUBSCRIBER, member_id=member_id))

    # when
    with pytest.raises(MemberIdError) as caught:
        build_270(inquiry, envelope())

    # then
    assert str(caught.value).startswith(f"The subscriber's member ID {member_id!r}: ")
    assert message in str(caught.value)


@pytest.mark.parametrize("member_id", ["ABC", "A" * 30, "SBX-1001-02", "w123456789"])
def test_member_ids_at_the_edges_are_accepted(member_id):
    # when
    text = build_270(request(subscriber=replace(SUBSCRIBER, member_id=member_id)), envelope())

    # then
    assert f"*MI*{member_id.upper()}~" in text


@pytest.mark.parametrize(
    ("_case", "changes", "message"),
    [
        (
            "delimiter in a name",
            {"subscriber": replace(SUBSCRIBER, last_name="O*Brien")},
            "The subscriber's last name 'O*Brien' holds *, which separates X12 elements",
        ),
        (
            "non-ASCII name",
            {"subscriber": replace(SUBSCRIBER, last_name="Peña")},
            "The subscriber's last name 'Peña' holds characters X12 cannot carry (letters, digits, punctuation)",
        ),
        (
            "patient without first name",
            {"subscriber": replace(SUBSCRIBER, first_name="")},
            "The patient's first name is required (payers match on name, birth date and ID)",
        ),
        (
            "missing last name",
            {"subscriber": replace(SUBSCRIBER, last_name=" ")},
            "The subscriber's last name is required",
        ),
        ("unknown service type", {"service_types": ("MH", "QQ")}, "Unknown service type code(s): QQ"),
        ("no service type", {"service_types": ()}, "At least one service type code is required"),
        ("repeated service type", {"service_types": ("MH", "MH")}, "A service type code is repeated"),
        (
            "trace with a space",
            {"trace_number": "ELG 1"},
            "The trace number 'ELG 1' is 1 to 50 letters, digits or hyphens",
        ),
        ("bad NPI", {"provider": Provider(name="X", npi="12345")}, "The provider NPI '12345' is 10 digits"),
        (
            "birth after service",
            {"subscriber": replace(SUBSCRIBER, birth_date=date(2026, 3, 11))},
            "The subscriber's birth date follows the date of service",
        ),
        (
            "dependent with own id",
            {"dependent": replace(CHILD, member_id="SBX2002")},
            "A dependent with a member ID of their own is sent as the subscriber (see place_patient)",
        ),
    ],
)
def test_values_a_270_cannot_carry_are_refused(_case, changes, message):
    # when
    with pytest.raises(X12ValueError) as caught:
        build_270(request(**changes), envelope())

    # then
    assert str(caught.value) == message


def test_birth_on_the_date_of_service_is_accepted():
    # when
    text = build_270(request(subscriber=replace(SUBSCRIBER, birth_date=date(2026, 3, 10))), envelope())

    # then
    assert "DMG*D8*20260310*F~" in text


@pytest.mark.parametrize(
    ("_case", "changes", "message"),
    [
        (
            "interchange number 0",
            {"interchange_control_number": 0},
            "The interchange control number is 1 to 999999999",
        ),
        (
            "interchange number too big",
            {"interchange_control_number": 1_000_000_000},
            "The interchange control number is 1 to 999999999",
        ),
        (
            "set number too big",
            {"transaction_control_number": 10_000},
            "The transaction set control number is 1 to 9999",
        ),
        ("usage", {"usage": "X"}, "The usage indicator is T (test) or P (production)"),
    ],
)
def test_envelope_values_are_checked(_case, changes, message):
    with pytest.raises(X12ValueError) as caught:
        build_270(request(), envelope(**changes))
    assert str(caught.value) == message


def test_envelope_edges_are_accepted():
    text = build_270(
        request(), envelope(interchange_control_number=999_999_999, transaction_control_number=9999)
    )
    assert "*000000001*" not in text
    assert text.endswith("IEA*1*999999999~")


@pytest.mark.parametrize(
    ("_case", "patient", "subscriber", "expected_subscriber", "expected_dependent"),
    [
        ("patient is the subscriber", SUBSCRIBER, None, SUBSCRIBER, None),
        (
            "child with an id of their own goes as subscriber",
            replace(CHILD, member_id="SBX2002"),
            SUBSCRIBER,
            replace(CHILD, member_id="SBX2002"),
            None,
        ),
        ("child without an id goes as dependent", CHILD, SUBSCRIBER, SUBSCRIBER, CHILD),
        ("blank id counts as none", replace(CHILD, member_id="  "), SUBSCRIBER, SUBSCRIBER, CHILD),
    ],
)
def test_patient_placement(_case, patient, subscriber, expected_subscriber, expected_dependent):
    # given: pitfall E10
    # when
    placed = place_patient(patient=patient, subscriber=subscriber)

    # then
    assert placed == (expected_subscriber, expected_dependent)


def test_a_child_with_their_own_id_has_no_dependent_loop():
    # given
    subscriber, dependent = place_patient(patient=replace(CHILD, member_id="SBX2002"), subscriber=SUBSCRIBER)

    # when
    text = build_270(request(subscriber=subscriber, dependent=dependent), envelope())

    # then
    assert "HL*4*" not in text
    assert "NM1*03" not in text
    assert "NM1*IL*1*RIVERA*LEO****MI*SBX2002~" in text


names = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ'-. ", min_size=1, max_size=20).filter(
    lambda s: s.strip()
)
member_ids = st.from_regex(r"[A-Z0-9][A-Z0-9\-]{1,28}[A-Z0-9]", fullmatch=True)
births = st.dates(min_value=date(1920, 1, 1), max_value=date(2025, 12, 31))
people = st.builds(
    Person,
    last_name=names,
    first_name=names,
    member_id=member_ids,
    birth_date=births | st.none(),
    gender=st.sampled_from(["", "M", "F", "U"]),
    group_number=st.just("") | st.from_regex(r"[A-Z0-9]{1,10}", fullmatch=True),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    subscriber=people,
    dependent=st.none() | people.map(lambda p: replace(p, member_id="")),
    service_date=st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
    service_types=st.lists(st.sampled_from(sorted(SERVICE_TYPES)), min_size=1, max_size=5, unique=True),
    trace=st.from_regex(r"[A-Z0-9][A-Z0-9\-]{0,29}", fullmatch=True),
    icn=st.integers(min_value=1, max_value=999_999_999),
)
def test_round_trip_property(subscriber, dependent, service_date, service_types, trace, icn):
    # given
    inquiry = request(
        subscriber=subscriber,
        dependent=dependent,
        service_date=service_date,
        service_types=tuple(service_types),
        trace_number=trace,
    )

    # when
    text = build_270(inquiry, envelope(interchange_control_number=icn))

    # then
    expected = normalize_request(inquiry)
    assert read_270(text)[0] == expected
    assert x12sdk_request(text) == expected
    assert check_270(text) == []
