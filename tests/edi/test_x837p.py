"""edi.x837p: every scenario passes pyx12 (its own 999 read back by edi.x999), plus structure."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi.reader import read_interchange
from edi.x837p import Adjustment, ClaimDataError, Facility, Payer, build_837p
from edi.x999 import read_999
from tests.edi.pyx12_oracle import pyx12_validate
from tests.edi.samples837 import (
    BILLING,
    FACILITY,
    LEO,
    RENDERING,
    SUPERVISOR,
    batch,
    claim,
    envelope,
    line,
    secondary_claim,
    tertiary_claim,
)

DX = (
    "F33.1",
    "F41.1",
    "F43.10",
    "F90.2",
    "Z63.0",
    "F32.9",
    "F40.10",
    "F42.2",
    "F50.00",
    "F51.01",
    "F60.3",
    "F63.81",
)

SCENARIOS = [
    ("original", claim(prior_authorization="AUTH77", service_facility=FACILITY)),
    ("supervised technician (2310D)", claim(supervising=SUPERVISOR, lines=(line(modifiers=("HN",)),))),
    ("patient is not the subscriber", claim(patient=LEO, patient_relationship="19")),
    ("secondary with COB", secondary_claim()),
    ("tertiary after two payers", tertiary_claim()),
    ("replacement", claim(frequency="7", payer_claim_control_number="PAYER123")),
    ("void", claim(frequency="8", payer_claim_control_number="PAYER123")),
    ("telehealth POS 10 + 95", claim(place_of_service="10", lines=(line(modifiers=("95",)),))),
    ("telehealth line POS 02", claim(lines=(line(modifiers=("95", "HO"), place_of_service="02"),))),
    (
        "multiple lines and 12 diagnoses",
        claim(
            diagnoses=DX,
            lines=tuple(
                line(
                    control_number=f"L{i}",
                    diagnosis_pointers=(i, i + 1, i + 2, i + 3),
                    procedure=code,
                    charge=Decimal("40.25") + i,
                    modifiers=("HO", "59", "XU", "GT")[: i % 5],
                )  # fmt: skip
                for i, code in enumerate(("90837", "90785", "90846", "90847", "96127"), start=1)
            ),
        ),
    ),
    (
        "pay-to address",
        claim(billing_provider=replace(BILLING, pay_to=replace(FACILITY.address, line1="PO BOX 9"))),
    ),
]

SCENARIO = dict(SCENARIOS)


def _segments(text: str) -> list[list[str]]:
    return [s.split("*") for s in text.strip().rstrip("~").split("~")]


@pytest.mark.parametrize(("label", "value"), SCENARIOS, ids=[label for label, _ in SCENARIOS])
def test_every_scenario_passes_pyx12(label, value):
    # when
    text = build_837p(batch(value), envelope())
    ok, ack = pyx12_validate(text)

    # then
    (acknowledgement,) = read_999(ack)
    assert ok, (label, ack)
    assert acknowledgement.group_status == "A"
    assert [s.status for s in acknowledgement.sets] == ["A"]


def test_all_scenarios_in_one_file_pass_pyx12_with_one_hl_chain():
    # given
    claims = tuple(replace(value, claim_id=f"C{i:05d}") for i, (_, value) in enumerate(SCENARIOS))

    # when
    text = build_837p(batch(*claims), envelope())
    ok, ack = pyx12_validate(text)

    # then
    assert ok, ack
    interchange = read_interchange(text)
    (transaction,) = interchange.transactions
    hls = [s for s in transaction.segments if s.id == "HL"]
    assert [int(h.get(1)) for h in hls] == list(range(1, len(hls) + 1))
    assert [h.get(3) for h in hls].count("20") == 2  # the pay-to claim has its own billing level
    assert sum(1 for s in transaction.segments if s.id == "CLM") == len(claims)
    parents = {h.get(1): h.get(3) for h in hls}
    for h in hls:
        expected_parent = {"20": None, "22": "20", "23": "22"}[h.get(3)]
        assert (parents.get(h.get(2)) if h.get(2) else None) == expected_parent


def test_control_numbers_and_transaction_split():
    # given
    claims = tuple(claim(claim_id=f"C{i}") for i in range(5))

    # when
    text = build_837p(
        batch(*claims, max_per_transaction=2),
        envelope(
            interchange_control_number=123456789, group_control_number=77, transaction_control_number=41
        ),
    )

    # then
    interchange = read_interchange(text)
    assert interchange.isa.get(13) == "123456789"
    assert interchange.groups[0][0].get(6) == "77"
    assert [t.control_number for t in interchange.transactions] == ["0041", "0042", "0043"]
    assert [sum(1 for s in t.segments if s.id == "CLM") for t in interchange.transactions] == [2, 2, 1]
    assert pyx12_validate(text)[0]


def test_clm_and_lines_carry_the_claim():
    # when
    rows = _segments(build_837p(batch(SCENARIO["multiple lines and 12 diagnoses"]), envelope()))

    # then
    clm = next(r for r in rows if r[0] == "CLM")
    sv1 = [r for r in rows if r[0] == "SV1"]
    assert clm[2] == "216.25"  # C5: CLM02 is the sum of SV102
    assert sum(Decimal(r[2]) for r in sv1) == Decimal(clm[2])
    assert clm[5] == "11:B:1"
    assert sv1[3][1] == "HC:90847:HO:59:XU:GT"
    assert sv1[3][7] == "4:5:6:7"
    hi = next(r for r in rows if r[0] == "HI")
    assert hi[1:3] == ["ABK:F331", "ABF:F411"]
    assert len(hi) == 13
    assert [r[2] for r in rows if r[:2] == ["REF", "6R"]] == ["L1", "L2", "L3", "L4", "L5"]


def test_secondary_cob_loops_match_pitfalls_c1_c2_c3():
    # when
    rows = _segments(build_837p(batch(secondary_claim()), envelope()))

    # then
    sbr = [r for r in rows if r[0] == "SBR"]
    assert sbr[0][1] == "S"
    assert sbr[1][1] == "P"
    assert ["CAS", "CO", "45", "20"] in rows  # C1
    assert ["CAS", "PR", "1", "30", "", "2", "10"] in rows
    assert ["REF", "F8", "ABC123"] in rows  # C2: 2330B carries the primary's CLP07
    assert ["AMT", "D", "90"] in rows
    svd = next(r for r in rows if r[0] == "SVD")
    assert Decimal(svd[2]) + 20 + 30 + 10 == Decimal("150")
    assert ["DTP", "573", "D8", "20260330"] in rows
    primary = _segments(build_837p(batch(claim()), envelope()))
    assert next(r for r in primary if r[0] == "SBR")[5:6] in ([], [""])  # C3: no SBR05 on a primary


def test_service_facility_only_when_given_and_pos_only_when_it_differs():
    rows = _segments(build_837p(batch(claim()), envelope()))
    assert not any(r[:2] == ["NM1", "77"] for r in rows)  # C8
    telehealth = _segments(build_837p(batch(SCENARIO["telehealth line POS 02"]), envelope()))
    assert next(r for r in telehealth if r[0] == "SV1")[5] == "02"
    same = _segments(build_837p(batch(claim(lines=(line(place_of_service="11"),))), envelope()))
    sv1 = next(r for r in same if r[0] == "SV1")
    assert sv1[5] == ""
    assert len(sv1) == 8


def test_assignment_flags_follow_the_claim():  # C10
    rows = _segments(build_837p(batch(claim(assignment="C", benefits_assigned=False)), envelope()))
    assert next(r for r in rows if r[0] == "CLM")[6:9] == ["Y", "C", "N"]


BAD = [
    ("claims[0].claim_id", claim(claim_id="X" * 18)),
    ("claims[0].claim_id", claim(claim_id="")),
    ("claims[0].billing_provider.npi", claim(billing_provider=replace(BILLING, npi="1234567890"))),
    ("claims[0].billing_provider.tax_id", claim(billing_provider=replace(BILLING, tax_id="12345"))),
    (
        "claims[0].billing_provider.address.line1",
        claim(billing_provider=replace(BILLING, address=replace(BILLING.address, line1="PO Box 12"))),
    ),  # fmt: skip
    (
        "claims[0].billing_provider.address.postal_code",
        claim(billing_provider=replace(BILLING, address=replace(BILLING.address, postal_code="62701"))),
    ),  # fmt: skip
    ("claims[0].billing_provider.taxonomy", claim(billing_provider=replace(BILLING, taxonomy="101YM0800"))),
    ("claims[0].subscriber.member_id", claim(subscriber=replace(secondary_claim().subscriber, member_id=""))),
    ("claims[0].payer.payer_id", claim(payer=Payer("X", ""))),
    ("claims[0].frequency", claim(frequency="6")),
    ("claims[0].payer_claim_control_number", claim(frequency="7")),
    ("claims[0].payer_claim_control_number", claim(frequency="8")),
    ("claims[0].insurance_type", claim(insurance_type="47")),
    ("claims[0].other_payers", claim(responsibility="S")),
    ("claims[0].diagnoses", claim(diagnoses=())),
    ("claims[0].diagnoses", claim(diagnoses=(*DX, "F99"))),
    ("claims[0].lines", claim(lines=())),
    ("claims[0].lines", claim(lines=tuple(line(control_number=f"L{i}") for i in range(51)))),
    ("claims[0].lines[0].charge", claim(lines=(line(charge=Decimal(0)),))),
    ("claims[0].lines[0].charge", claim(lines=(line(charge=Decimal("-5")),))),
    ("claims[0].lines[0].modifiers", claim(lines=(line(modifiers=("95", "HO", "59", "XU", "GT")),))),
    ("claims[0].lines[0].diagnosis_pointers", claim(lines=(line(diagnosis_pointers=(2,)),))),
    (
        "claims[0].lines[0].diagnosis_pointers",
        claim(diagnoses=DX, lines=(line(diagnosis_pointers=(1, 2, 3, 4, 5)),)),
    ),
    ("claims[0].lines[0].control_number", claim(lines=(line(control_number="X" * 31),))),
    ("claims[0].lines[1].control_number", claim(lines=(line(), line()))),
    ("claims[0].patient.birth_date", claim(patient=replace(LEO, birth_date=None))),
    ("claims[0].rendering.npi", claim(rendering=replace(SUPERVISOR, npi=""))),
    (
        "claims[0].subscriber.person.last_name",
        claim(subscriber=replace(secondary_claim().subscriber, person=replace(LEO, last_name="O*NEIL"))),
    ),  # fmt: skip
    ("claims[0].claim_id", claim(claim_id="CLM~1")),
    (
        "claims[0].patient.address.state",
        claim(patient=replace(LEO, address=replace(FACILITY.address, state="I1"))),
    ),
    ("claims[0].lines[0].procedure", claim(lines=(line(procedure="9083"),))),
    ("claims[0].lines[0].units", claim(lines=(line(units=Decimal(0)),))),
]


@pytest.mark.parametrize(("field", "value"), BAD, ids=[f"{i}-{f}" for i, (f, _) in enumerate(BAD)])
def test_missing_or_bad_data_raises_a_typed_error_naming_the_field(field, value):
    with pytest.raises(ClaimDataError) as raised:
        build_837p(batch(value), envelope())
    assert raised.value.field == field


def test_edges_that_are_allowed():
    # 17-character claim id, 12 diagnoses, 4 modifiers, 50 lines, 30-char line control number: all build
    ok = claim(
        claim_id="X" * 17,
        diagnoses=DX,
        lines=tuple(line(control_number=f"{i:030d}", modifiers=("95", "HO", "59", "XU")) for i in range(50)),
    )
    assert pyx12_validate(build_837p(batch(ok), envelope()))[0]


def _cob(**adjudication: object):
    value = secondary_claim()
    first = value.lines[0].adjudications[0]
    return replace(value, lines=(replace(value.lines[0], adjudications=(replace(first, **adjudication),)),))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("claims[0].lines[0].adjudications[0].paid", _cob(paid=Decimal("-1"))),
        ("claims[0].lines[0].adjudications[0]", _cob(paid=Decimal("91"))),
        (
            "claims[0].lines[0].adjudications[0].adjustments[0].amount",
            _cob(adjustments=(Adjustment("CO", "45", Decimal(0)),), paid=Decimal(150)),
        ),  # fmt: skip
        (
            "claims[0].lines[0].adjudications[0].adjustments[0].reason",
            _cob(adjustments=(Adjustment("CO", "", Decimal(60)),)),
        ),  # fmt: skip
        (
            "claims[0].lines[0].adjudications[0].adjustments[0].group",
            _cob(adjustments=(Adjustment("XX", "45", Decimal(60)),)),
        ),  # fmt: skip
        ("claims[0].lines[0].adjudications[0].payer_id", _cob(payer_id="NOBODY")),
    ],
)
def test_cob_data_clearinghouses_reject_is_blocked(field, value):  # C4
    with pytest.raises(ClaimDataError) as raised:
        build_837p(batch(value), envelope())
    assert raised.value.field == field


def test_duplicate_claim_ids_in_one_file_are_refused():  # C6
    with pytest.raises(ClaimDataError, match="already in this file"):
        build_837p(batch(claim(), claim()), envelope())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    charges=st.lists(st.decimals(min_value="0.01", max_value="99999.99", places=2), min_size=1, max_size=6),
    control=st.integers(min_value=1, max_value=999_999_999),
)
def test_random_claims_pass_pyx12_and_total_their_lines(charges, control):
    value = claim(lines=tuple(line(charge=c, control_number=f"L{i}") for i, c in enumerate(charges)))
    text = build_837p(batch(value), envelope(interchange_control_number=control))
    rows = _segments(text)
    assert Decimal(next(r for r in rows if r[0] == "CLM")[2]) == sum(charges)
    assert read_interchange(text).isa.get(13) == f"{control:09d}"
    assert pyx12_validate(text)[0]


def test_a_service_facility_at_the_billing_address_is_not_sent():  # C8
    same = Facility("CALM WATERS COUNSELING", BILLING.address, BILLING.npi)
    rows = _segments(build_837p(batch(claim(service_facility=same)), envelope()))
    assert not any(r[:2] == ["NM1", "77"] for r in rows)
    other = _segments(build_837p(batch(claim(service_facility=FACILITY)), envelope()))
    assert ["NM1", "77", "2", "CALM WATERS ANNEX"] in other


def test_a_group_billing_npi_needs_the_rendering_clinician():  # C8
    with pytest.raises(ClaimDataError) as raised:
        build_837p(batch(claim(rendering=None)), envelope())
    assert raised.value.field == "claims[0].rendering"
    solo = replace(BILLING, name="LEE", first_name="JORDAN", npi=RENDERING.npi)
    rows = _segments(build_837p(batch(claim(rendering=None, billing_provider=solo)), envelope()))
    assert ["NM1", "85", "1", "LEE", "JORDAN", "", "", "", "XX", RENDERING.npi] in rows
    assert pyx12_validate(build_837p(batch(claim(rendering=None, billing_provider=solo)), envelope()))[0]


def test_taxonomy_comes_from_each_provider():  # C9
    rows = _segments(
        build_837p(batch(claim(rendering=replace(RENDERING, taxonomy="101YP2500X"))), envelope())
    )
    assert ["PRV", "BI", "PXC", "101YM0800X"] in rows
    assert ["PRV", "PE", "PXC", "101YP2500X"] in rows


def test_secondary_sbr05_is_sent_when_given_and_adjudication_date_only_on_lines():  # C3, C4
    value = replace(secondary_claim(), insurance_type="47")
    text = build_837p(batch(value), envelope())
    rows = _segments(text)
    assert next(r for r in rows if r[0] == "SBR")[1:6] == ["S", "18", "", "", "47"]
    first_lx = next(i for i, r in enumerate(rows) if r[0] == "LX")
    assert not any(r[:2] == ["DTP", "573"] for r in rows[:first_lx])
    assert pyx12_validate(text)[0]


def test_tertiary_claim_carries_both_earlier_payers():
    rows = _segments(build_837p(batch(tertiary_claim()), envelope()))
    assert [r[1] for r in rows if r[0] == "SBR"] == ["T", "P", "S"]
    assert [r[2] for r in rows if r[:2] == ["AMT", "D"]] == ["90", "40"]
    assert [r[2] for r in rows if r[:2] == ["REF", "F8"]] == ["ABC123", "SEC-77"]
    assert [r[1] for r in rows if r[0] == "SVD"] == ["SBXPAYER", "SECPAYER"]


def test_echoed_ids_are_written_as_given_and_units_keep_their_decimals():
    value = claim(claim_id="pc-17a", lines=(line(control_number="ln-0001", units=Decimal("1.125")),))
    text = build_837p(batch(value), envelope())
    rows = _segments(text)
    assert pyx12_validate(text)[0]
    assert next(r for r in rows if r[0] == "CLM")[1] == "pc-17a"
    assert ["REF", "6R", "ln-0001"] in rows
    assert next(r for r in rows if r[0] == "SV1")[4] == "1.125"
