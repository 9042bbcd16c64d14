"""edi.x271: the 271 parser on real-shaped samples, the JSON contract, lossless AAA, trace check."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi.codes import SERVICE_TYPES
from edi.errors import TraceMismatchError, X12Error, X12StructureError
from edi.x270 import Envelope
from edi.x271 import Benefit, EligibilityTransaction, Entity, Member, PlanDates, parse_271
from edi.x271_write import write_271
from tests.edi.samples import DEPENDENT, HEAD, REJECTIONS, SOURCE_ONLY, SUBSCRIBER_MH, wrap


def _row(benefit: dict) -> tuple:
    keys = (
        "eb01",
        "service_types",
        "coverage_level",
        "in_network",
        "amount",
        "percent",
        "time_period",
        "quantity",
        "quantity_qualifier",
        "auth_required",
        "messages",
    )
    return tuple(benefit[key] for key in keys)


def test_dependent_response_prints_the_json_contract():
    # when
    output = parse_271(DEPENDENT).as_json()

    # then
    no_dates = {
        "plan_begin": None,
        "plan_end": None,
        "eligibility_begin": None,
        "eligibility_end": None,
        "other": [],
    }
    blank = {
        "insurance_type": None,
        "plan_description": None,
        "unknown_service_types": [],
        "dates": [],
        "related_entities": [],
    }
    assert output == {
        "transactions": [
            {
                "subscriber": {
                    "last_name": "RIVERA",
                    "first_name": "ANA",
                    "middle_name": None,
                    "member_id": "SBX1001",
                    "birth_date": None,
                    "gender": None,
                    "relationship": None,
                    "group_number": None,
                },
                "patient": {
                    "last_name": "RIVERA",
                    "first_name": "LEO",
                    "middle_name": None,
                    "member_id": None,
                    "birth_date": "2014-09-30",
                    "gender": "M",
                    "relationship": "19",
                    "group_number": None,
                },
                "active": True,
                "plan_dates": {**no_dates, "plan_begin": "2026-02-01", "plan_end": "2026-12-31"},
                "errors": [],
                "benefits": [
                    {
                        "eb01": "1",
                        "service_types": ["MH"],
                        "coverage_level": "IND",
                        "in_network": None,
                        "amount": None,
                        "percent": None,
                        "time_period": None,
                        "quantity": None,
                        "quantity_qualifier": None,
                        "auth_required": None,
                        "messages": [],
                        **blank,
                    },
                    {
                        "eb01": "B",
                        "service_types": ["MH"],
                        "coverage_level": "IND",
                        "in_network": None,
                        "amount": "15.00",
                        "percent": None,
                        "time_period": "27",
                        "quantity": None,
                        "quantity_qualifier": None,
                        "auth_required": None,
                        "messages": [],
                        **blank,
                    },
                ],
                "coverage_status": "active",
                "trace_numbers": ["ELG-000001"],
                "payer": {
                    "entity_code": "PR",
                    "name": "SANDBOX HEALTH",
                    "first_name": None,
                    "id_qualifier": "PI",
                    "id": "SBXPAYER",
                },
                "provider": {
                    "entity_code": "1P",
                    "name": "CALM WATERS COUNSELING",
                    "first_name": None,
                    "id_qualifier": "XX",
                    "id": "1234567893",
                },
                "control_number": "0001",
            }
        ]
    }


def test_mental_health_benefits_every_eb_block_kept_in_order():
    # when
    (entry,) = parse_271(SUBSCRIBER_MH).as_json()["transactions"]

    # then
    assert [_row(b) for b in entry["benefits"]] == [
        ("1", ["30"], "IND", None, None, None, None, None, None, None, []),
        ("1", ["MH", "A6", "AI"], "IND", None, None, None, None, None, None, None, []),
        ("B", ["MH", "A6"], "IND", True, "20.00", None, "27", None, None, None, []),
        ("B", ["MH", "A6"], "IND", False, "55.50", None, "27", None, None, None, []),
        ("A", ["MH"], "IND", True, None, "0.2", "27", None, None, None, []),
        ("A", ["MH"], "IND", False, None, "0.4", "27", None, None, None, []),
        ("C", ["MH"], "IND", True, "1500.00", None, "23", None, None, None, []),
        ("C", ["MH"], "IND", True, "612.34", None, "29", None, None, None, []),
        ("G", ["MH"], "FAM", True, "6000.00", None, "23", None, None, None, []),
        ("F", ["A6"], "IND", True, None, None, "23", "30", "VS", None, []),
        (
            "F",
            ["A6"],
            "IND",
            True,
            None,
            None,
            "29",
            "4",
            "VS",
            None,
            ["4 OF 30 VISITS REMAIN FOR THE CALENDAR YEAR"],
        ),
        (
            "1",
            ["AI"],
            "IND",
            True,
            None,
            None,
            None,
            None,
            None,
            True,
            ["PRIOR AUTHORIZATION REQUIRED", "CALL 800-555-0100 FOR AUTHORIZATION"],
        ),
        ("D", ["ZZ9"], "IND", None, None, None, None, None, None, None, []),
        ("U", ["MH"], "IND", None, None, None, None, None, None, None, []),
    ]
    assert entry["benefits"][0]["plan_description"] == "SANDBOX PPO"
    assert entry["benefits"][7]["dates"] == [{"qualifier": "348", "begin": "2026-01-01", "end": None}]
    assert entry["benefits"][12]["unknown_service_types"] == ["ZZ9"]
    assert [b["unknown_service_types"] for i, b in enumerate(entry["benefits"]) if i != 12] == [[]] * 13
    assert entry["benefits"][13]["related_entities"] == [
        {
            "entity_code": "VN",
            "name": "SANDBOX AUTH DESK",
            "first_name": None,
            "id_qualifier": "PI",
            "id": "SBXAUTH",
        }
    ]


def test_subscriber_level_facts():
    # when
    (entry,) = parse_271(SUBSCRIBER_MH).as_json()["transactions"]

    # then
    assert entry["subscriber"] == entry["patient"] == {
        "last_name": "RIVERA", "first_name": "ANA", "middle_name": "M", "member_id": "SBX1001",
        "birth_date": "1985-04-02", "gender": "F", "relationship": "18", "group_number": "GRP-4410",
    }  # fmt: skip
    assert entry["plan_dates"] == {
        "plan_begin": "2026-01-01", "plan_end": "2026-12-31", "eligibility_begin": "2025-06-01",
        "eligibility_end": None, "other": [],
    }  # fmt: skip
    assert entry["active"] is True
    assert entry["trace_numbers"] == ["ELG-000001", "PAYER-778899"]


def _eb(*segments: str) -> str:
    return wrap(
        [
            *HEAD,
            "HL*3*2*22*0~",
            "TRN*2*ELG-000001*9PARITYEHR~",
            "NM1*IL*1*RIVERA*ANA****MI*SBX1001~",
            *segments,
        ]
    )


@pytest.mark.parametrize(
    ("_case", "eb", "field", "value"),
    [
        ("whole dollars", "EB*B**MH***27*20~", "amount", "20.00"),
        ("one decimal", "EB*B**MH***27*20.5~", "amount", "20.50"),
        ("half cent rounds up", "EB*B**MH***27*20.005~", "amount", "20.01"),
        ("zero", "EB*B**MH***27*0~", "amount", "0.00"),
        ("percent with leading point", "EB*A**MH***27**.2~", "percent", "0.2"),
        ("percent with trailing zeros", "EB*A**MH***27**0.200~", "percent", "0.2"),
        ("percent zero", "EB*A**MH***27**0~", "percent", "0"),
        ("percent one", "EB*A**MH***27**1.00~", "percent", "1"),
        ("quantity 100 has no exponent", "EB*F**MH***23***VS*100~", "quantity", "100"),
        ("in network Y", "EB*B**MH***27*20*****Y~", "in_network", True),
        ("in network N", "EB*B**MH***27*20*****N~", "in_network", False),
        ("in network W (not applicable)", "EB*B**MH***27*20*****W~", "in_network", None),
        ("in network U (unknown)", "EB*B**MH***27*20*****U~", "in_network", None),
        ("auth required Y", "EB*1**MH********Y~", "auth_required", True),
        ("auth required N", "EB*1**MH********N~", "auth_required", False),
        ("auth unknown U", "EB*1**MH********U~", "auth_required", None),
        ("no service type", "EB*1~", "service_types", []),
    ],
)
def test_eb_element_values(_case, eb, field, value):
    # when
    (benefit,) = parse_271(_eb(eb)).as_json()["transactions"][0]["benefits"]

    # then
    assert benefit[field] == value


@pytest.mark.parametrize(
    ("_case", "eb01", "active", "status"),
    [
        ("active", "1", True, "active"),
        ("capitated", "3", True, "active"),
        ("pending investigation", "5", True, "at_risk"),
        ("premium grace (8040)", "11", True, "at_risk"),
        ("inactive", "6", False, "inactive"),
        ("inactive pending update", "7", False, "inactive"),
        ("inactive pending investigation", "8", False, "inactive"),
        ("only a co-pay", "B", None, "unknown"),
    ],
)
def test_active_flag(_case, eb01, active, status):
    # when
    (entry,) = parse_271(_eb(f"EB*{eb01}**30~")).transactions

    # then
    assert (entry.active, entry.coverage_status) == (active, status)


def test_every_aaa_at_every_level_is_kept():
    # given: pitfall E3 -- AAA errors kept with code, description, follow-up and loop
    # when
    (entry,) = parse_271(REJECTIONS).as_json()["transactions"]

    # then
    assert [
        (e["code"], e["level"], e["loop"], e["valid_request"], e["follow_up_action"], e["transient"])
        for e in entry["errors"]
    ] == [
        ("42", "information_source", "2000A", True, "R", True),
        ("79", "information_source", "2100A", False, "C", False),
        ("41", "information_receiver", "2100B", False, "N", False),
        ("72", "subscriber", "2100C", False, "C", False),
        ("58", "subscriber", "2100C", False, "C", False),
    ]
    assert entry["errors"][3]["message"] == (
        "Invalid/missing subscriber/insured ID. This payer may require the member ID exactly as on the card; "
        "check it and resubmit."
    )
    assert entry["errors"][3]["follow_up_message"] == "Please correct and resubmit"
    assert entry["active"] is None  # a rejection is not "inactive"
    assert entry["benefits"] == []


def test_aaa_on_a_benefit_and_an_unknown_reason_are_kept():
    # given
    text = _eb("EB*1**MH~", "AAA*N**ZZ*C~")

    # when
    (entry,) = parse_271(text).as_json()["transactions"]

    # then
    assert [(e["code"], e["level"], e["loop"], e["message"]) for e in entry["errors"]] == [
        ("ZZ", "benefit", "2110C", "Reject reason ZZ (not in the 5010 list)")
    ]


def test_a_rejection_before_the_subscriber_level_is_one_entry_without_members():
    # when
    (entry,) = parse_271(SOURCE_ONLY, expected_trace="ELG-000001").transactions

    # then
    assert (entry.subscriber, entry.patient, entry.active) == (None, None, None)
    assert [(e.code, e.loop, e.transient) for e in entry.errors] == [("42", "2100A", True)]


def test_several_subscribers_and_dependents_give_one_entry_per_patient():
    # given
    text = wrap([
        *HEAD,
        "HL*3*2*22*1~", "NM1*IL*1*ONE*SUB****MI*SBX1~",
        "HL*4*3*23*0~", "TRN*2*T1*9PARITYEHR~", "NM1*03*1*ONE*KID~", "EB*1**30~",
        "HL*5*2*22*0~", "TRN*2*T2*9PARITYEHR~", "NM1*IL*1*TWO*SUB****MI*SBX2~", "EB*6**30~",
        "HL*6*2*22*1~", "TRN*2*T3*9PARITYEHR~", "NM1*IL*1*THREE*SUB****MI*SBX3~", "EB*1**30~",
        "HL*7*6*23*0~", "NM1*03*1*THREE*KID~", "EB*1**MH~",
    ])  # fmt: skip

    # when
    entries = parse_271(text).transactions

    # then: the subscriber with benefits of their own and a dependent is listed too
    assert [
        (e.subscriber.last_name, e.patient.first_name, e.coverage_status, e.trace_numbers) for e in entries
    ] == [
        ("ONE", "KID", "active", ["T1"]),
        ("TWO", "SUB", "inactive", ["T2"]),
        ("THREE", "SUB", "active", ["T3"]),
        ("THREE", "KID", "active", ["T3"]),
    ]


def test_trace_number_matching_the_request_passes():
    assert parse_271(SUBSCRIBER_MH, expected_trace="ELG-000001").transactions[0].active is True
    assert parse_271(SUBSCRIBER_MH, expected_trace="PAYER-778899").transactions[0].active is True


def test_trace_number_mismatch_is_a_clear_error():
    # when
    with pytest.raises(TraceMismatchError) as caught:
        parse_271(SUBSCRIBER_MH, expected_trace="ELG-000002")

    # then
    position = SUBSCRIBER_MH.index("TRN*2")
    assert str(caught.value) == (
        f"segment 10 (TRN02) at character {position}: trace number 'ELG-000001' does not match the request's "
        "'ELG-000002': this 271 answers another inquiry"
    )


def test_without_trn_the_bht_reference_must_match():
    with pytest.raises(TraceMismatchError) as caught:
        parse_271(SOURCE_ONLY, expected_trace="ELG-000002")
    assert "no TRN, and BHT03 'ELG-000001' does not match the request's 'ELG-000002'" in str(caught.value)


@pytest.mark.parametrize(
    ("_case", "text", "message"),
    [
        (
            "amount not a number",
            _eb("EB*B**MH***27*2O.00~"),
            "segment 12 (EB07) at character {p}: '2O.00' is not a number",
        ),
        (
            "percent not a number",
            _eb("EB*A**MH***27**20%~"),
            "segment 12 (EB08) at character {p}: '20%' is not a number",
        ),
        (
            "impossible date",
            _eb("DTP*291*D8*20260230~"),
            "segment 12 (DTP03) at character {p}: '20260230' is not a CCYYMMDD date",
        ),
        (
            "range without end",
            _eb("DTP*291*RD8*20260101~"),
            "segment 12 (DTP03) at character {p}: '20260101' is not a CCYYMMDD-CCYYMMDD range",
        ),
        (
            "unknown date format",
            _eb("DTP*291*DT*202601011200~"),
            "segment 12 (DTP02) at character {p}: date format 'DT' is neither D8 nor RD8",
        ),
        (
            "unknown HL level",
            _eb("HL*4*3*99*0~"),
            "segment 12 (HL03) at character {p}: unknown hierarchical level code '99'",
        ),
        (
            "HL parent missing",
            _eb("HL*4*9*23*0~"),
            "segment 12 (HL02) at character {p}: parent HL '9' does not precede this HL",
        ),
    ],
)
def test_malformed_271_names_segment_and_position(_case, text, message):
    # given
    position = text.index("~\nSE*") - len(text[: text.index("~\nSE*")].rsplit("\n", 1)[1])

    # when
    with pytest.raises(X12StructureError) as caught:
        parse_271(text)

    # then
    assert str(caught.value) == message.format(p=position)


def test_a_truncated_271_names_the_last_segment():
    # given
    text = SUBSCRIBER_MH[: SUBSCRIBER_MH.index("EB*D")]

    # when
    with pytest.raises(X12Error) as caught:
        parse_271(text)

    # then
    assert str(caught.value).endswith("the file is truncated: SE expected after this segment")
    assert str(caught.value).startswith(f"segment 35 (MSG) at character {SUBSCRIBER_MH.index('MSG*CALL')}: ")


def test_a_270_is_not_a_271():
    from edi.x270 import build_270
    from tests.edi.samples import envelope, request

    with pytest.raises(
        X12StructureError, match=r"segment 3 \(ST01\) at character \d+: a 271 was expected, this is a 270"
    ):
        parse_271(build_270(request(), envelope()))


# -- round trip: what write_271 writes, parse_271 reads back ------------------------------------

money = st.decimals(min_value=Decimal("0"), max_value=Decimal("99999.99"), places=2)
percents = st.sampled_from([Decimal("0"), Decimal("0.1"), Decimal("0.2"), Decimal("0.35"), Decimal("1")])
codes = st.lists(st.sampled_from(sorted(SERVICE_TYPES)), min_size=0, max_size=4, unique=True)
flags = st.none() | st.booleans()
benefits = st.builds(
    Benefit,
    eb01=st.sampled_from(["1", "5", "6", "A", "B", "C", "F", "G", "L", "U"]),
    service_types=codes,
    coverage_level=st.none() | st.sampled_from(["IND", "FAM"]),
    in_network=flags,
    amount=st.none() | money,
    percent=st.none() | percents,
    time_period=st.none() | st.sampled_from(["23", "27", "29"]),
    quantity=st.none() | st.integers(min_value=0, max_value=400).map(Decimal),
    quantity_qualifier=st.none() | st.sampled_from(["VS", "99"]),
    auth_required=flags,
    messages=st.lists(st.from_regex(r"[A-Z0-9][A-Z0-9 ]{0,40}[A-Z0-9]", fullmatch=True), max_size=2),
    dates=st.just([]),
    related_entities=st.lists(
        st.builds(
            Entity,
            entity_code=st.just("PR"),
            name=st.just("CARVE OUT BH"),
            id_qualifier=st.just("PI"),
            id=st.just("CO1"),
        ),
        max_size=1,
    ),
)


@settings(max_examples=60, deadline=None)
@given(
    items=st.lists(benefits, max_size=6), dependent=st.booleans(), end=st.dates(min_value=date(2026, 1, 1))
)
def test_write_then_parse_round_trip(items, dependent, end):
    # given
    subscriber = Member(last_name="RIVERA", first_name="ANA", member_id="SBX1001")
    patient = Member(last_name="RIVERA", first_name="LEO", relationship="19") if dependent else subscriber
    entry = EligibilityTransaction(
        subscriber=subscriber,
        patient=patient,
        benefits=items,
        trace_numbers=["ELG-1"],
        plan_dates=PlanDates(plan_begin=date(2026, 1, 1), plan_end=end),
        payer=Entity(entity_code="PR", name="SANDBOX HEALTH", id_qualifier="PI", id="SBXPAYER"),
        provider=Entity(entity_code="1P", name="CALM WATERS", id_qualifier="XX", id="1234567893"),
        control_number="0001",
    )
    envelope = Envelope("SBXCH", "PARITY", 5, 6, datetime(2026, 3, 1, 9, 31))  # noqa: DTZ001

    # when
    (parsed,) = parse_271(
        write_271([entry], envelope, reference="ELG-1"), expected_trace="ELG-1"
    ).transactions

    # then
    assert parsed.benefits == items
    assert parsed.patient == patient
    assert parsed.plan_dates == entry.plan_dates


def test_dependent_level_aaa_is_kept_with_its_loop():
    # given
    text = wrap([
        *HEAD, "HL*3*2*22*1~", "NM1*IL*1*RIVERA*ANA****MI*SBX1001~",
        "HL*4*3*23*0~", "TRN*2*ELG-000001*9PARITYEHR~", "NM1*03*1*RIVERA*LEO~", "AAA*N**67*C~",
    ])  # fmt: skip

    # when
    (entry,) = parse_271(text, expected_trace="ELG-000001").transactions

    # then
    assert [(e.code, e.level, e.loop, e.message) for e in entry.errors] == [
        ("67", "dependent", "2100D", "Patient not found")
    ]
    assert entry.active is None


def test_segments_the_contract_does_not_carry_are_skipped_not_refused():
    # given: PER and PRV at the receiver, N3/N4/HI at the subscriber, HSD/REF/III/AMT in 2110C
    text = wrap([
        "BHT*0022*11*ELG-000001*20260301*0931~",
        "HL*1**20*1~", "NM1*PR*2*SANDBOX HEALTH*****PI*SBXPAYER~", "PER*IC*PROVIDER SERVICES*TE*8005550100~",
        "HL*2*1*21*1~", "NM1*1P*2*CALM WATERS COUNSELING*****XX*1234567893~", "PRV*PE*PXC*101YM0800X~",
        "HL*3*2*22*0~", "TRN*2*ELG-000001*9PARITYEHR~", "NM1*IL*1*RIVERA*ANA****MI*SBX1001~",
        "N3*12 HARBOR ROAD~", "N4*PORTLAND*ME*04101~", "HI*ABK:F411~",
        "EB*F*IND*A6***23***VS*20**Y~", "HSD*VS*20***22~", "REF*18*PLAN-7~", "III*ZZ*11~", "AMT*R*100~",
        "EB*B*IND*A6***27*25*****Y~",
    ])  # fmt: skip

    # when
    (entry,) = parse_271(text).transactions

    # then
    assert [(b.eb01, b.quantity, b.amount) for b in entry.benefits] == [
        ("F", Decimal("20"), None),
        ("B", None, Decimal("25.00")),
    ]
    assert entry.subscriber.group_number is None  # REF*18 inside 2110C is the benefit's, not the member's


def test_several_transaction_sets_in_one_file():
    # given
    one = SOURCE_ONLY.split("\n")
    body = one[3:-4]  # BHT .. AAA
    text = "\n".join([
        one[0], one[1],
        "ST*271*0001*005010X279A1~", *body, f"SE*{len(body) + 2}*0001~",
        "ST*271*0002*005010X279A1~", *body, f"SE*{len(body) + 2}*0002~",
        "GE*2*23~", "IEA*1*000000017~",
    ])  # fmt: skip

    # when
    entries = parse_271(text, expected_trace="ELG-000001").transactions

    # then
    assert [(e.control_number, e.errors[0].code) for e in entries] == [("0001", "42"), ("0002", "42")]
