"""edi.x999 and edi.x277ca: files built from the implementation guides, pyx12's own 999s, and the
public samples in /work/shared/x12-samples (read in place when present, never copied)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi.errors import X12StructureError, X12SyntaxError
from edi.x277ca import read_277ca
from edi.x837p import build_837p
from edi.x999 import read_999
from tests.edi.pyx12_oracle import pyx12_validate
from tests.edi.samples837 import batch, claim, envelope

SAMPLES = Path("/work/shared/x12-samples")
ISA = "ISA*00*          *00*          *ZZ*SBXCH          *ZZ*PARITY         *260312*1000*^*00501*000000901*0*T*:~\n"


def _wrap(functional_id: str, version: str, body: list[str], set_id: str = "999") -> str:
    lines = [f"ST*{set_id}*0001*{version}~", *body]
    return (
        ISA
        + f"GS*{functional_id}*SBXCH*PARITY*20260312*1000*901*X*{version}~\n"
        + "\n".join(lines)
        + f"\nSE*{len(lines) + 1}*0001~\nGE*1*901~\nIEA*1*000000901~\n"
    )


PARTIAL_BODY = [
    "AK1*HC*23*005010X222A1~",
    "AK2*837*0001*005010X222A1~",
    "IK5*A~",
    "AK2*837*0002*005010X222A1~",
    "IK3*NM1*12*2010BA*8~",
    "CTX*CLM01:CLM000002~",
    "IK4*9*67*7*SB 1001~",
    "IK5*R*5~",
    "AK2*837*0003*005010X222A1~",
    "IK3*SV1*30*2400*8~",
    "IK4*1:2*234*7*9083~",
    "IK4*2*782*6*ABC~",
    "IK3*DTP*31*2400*8~",
    "IK5*R*5~",
    "AK9*P*3*3*1~",
]
PARTIAL_999 = _wrap("FA", "005010X231A1", PARTIAL_BODY)


def _without(segment: str) -> str:
    body = list(PARTIAL_BODY)
    body.remove(segment)
    return _wrap("FA", "005010X231A1", body)


def test_partial_999_is_per_transaction_set():  # K1
    # when
    (ack,) = read_999(PARTIAL_999)

    # then
    assert (ack.group_status, ack.included, ack.received, ack.accepted_count) == ("P", 3, 3, 1)
    assert [(s.control_number, s.accepted) for s in ack.sets] == [
        ("0001", True),
        ("0002", False),
        ("0003", False),
    ]
    assert [s.control_number for s in ack.rejected_sets()] == ["0002", "0003"]
    second, third = ack.sets[1], ack.sets[2]
    assert [(e.segment_id, e.position, e.loop, e.code) for e in second.errors] == [("NM1", 12, "2010BA", "8")]
    assert second.errors[0].elements[0].bad_value == "SB 1001"
    assert [len(e.elements) for e in third.errors] == [2, 0]
    assert third.errors[0].elements[0].position == "1:2"
    assert third.status_label == "rejected"


def test_999_errors_are_located():
    broken = _without("IK5*A~")
    with pytest.raises(X12StructureError) as raised:
        read_999(broken)
    assert raised.value.segment_id == "AK2"
    assert raised.value.segment_number == 5
    with pytest.raises(X12StructureError, match="a 999 was expected"):
        read_999(PARTIAL_999.replace("ST*999", "ST*997"))
    with pytest.raises(X12StructureError, match="IK3 before"):
        read_999(_without("IK3*NM1*12*2010BA*8~"))


def test_pyx12s_own_999_for_a_bad_837_names_the_segment_and_element():
    # given: a date of service that is no date
    text = build_837p(batch(claim()), envelope(), line_breaks=True).replace(
        "DTP*472*D8*20260310", "DTP*472*D8*20261310"
    )

    # when
    ok, ack_text = pyx12_validate(text)
    (ack,) = read_999(ack_text)

    # then
    assert not ok
    (result,) = ack.sets
    assert (ack.group_status, result.status) == ("R", "R")
    (error,) = result.errors
    assert (error.segment_id, error.position) == ("DTP", 25)
    assert (error.elements[0].position, error.elements[0].bad_value) == ("3", "20261310")


def _277(sender: str, stcs: list[str], *, drop: str = "") -> str:
    return _wrap(
        "HN",
        "005010X214",
        [
            s
            for s in [
                "BHT*0085*08*CA0001*20260312*1000*TH~",
                "HL*1**20*1~",
                f"NM1*{sender}*2*SANDBOX*****46*SBX~",
                "TRN*1*B000001~",
                "DTP*050*D8*20260312~",
                "DTP*009*D8*20260312~",
                "HL*2*1*21*1~",
                "NM1*41*2*CALM WATERS COUNSELING*****46*PARITY~",
                "TRN*2*B000001~",
                "STC*A1:19:PR*20260312*WQ*300~",
                "QTY*90*1~",
                "QTY*AA*1~",
                "AMT*YU*150~",
                "AMT*YY*150~",
                "HL*3*2*19*1~",
                "NM1*85*2*CALM WATERS COUNSELING*****XX*1234567893~",
                "HL*4*3*PT~",
                "NM1*QC*1*RIVERA*ANA****MI*SBX1001~",
                "TRN*2*CLM000001~",
                *stcs,
                "REF*1K*PAYER123~",
                "REF*D9*CH-TRACE-9~",
                "DTP*472*RD8*20260310-20260310~",
                "HL*5*3*PT~",
                "NM1*QC*1*RIVERA*LEO****MI*SBX1002~",
                "TRN*2*CLM000002~",
                "STC*A7:562:85*20260312*U*150******A8:496:85~",
                "DTP*472*D8*20260310~",
            ]
            if s != drop
        ],
        set_id="277",
    )


def test_277ca_per_claim_status_payer_number_and_claim_echo():  # K3, K4
    # when
    (ack,) = read_277ca(_277("PR", ["STC*A2:20:PR*20260312*WQ*150~"]))

    # then
    assert not ack.from_clearinghouse
    assert [(level, s.category) for level, s in ack.level_statuses] == [("21", "A1")]
    first, second = ack.claims
    assert (first.claim_id, first.payer_claim_control_number, first.clearinghouse_trace) == (
        "CLM000001",
        "PAYER123",
        "CH-TRACE-9",
    )
    assert [(s.category, s.code, s.accepted) for s in first.statuses] == [("A2", "20", True)]
    assert not first.rejected
    assert second.rejected
    assert second.payer_claim_control_number == ""
    status = second.statuses[0]
    assert (status.category, status.code, status.entity, status.action) == ("A7", "562", "85", "U")
    assert status.extra == (("A8", "496", "85"),)
    assert str(second.charge) == "150"


def test_clearinghouse_277ca_is_labelled_as_such():  # K3
    (ack,) = read_277ca(_277("AY", ["STC*A1:20:PR*20260312*WQ*150~"]))
    assert ack.from_clearinghouse


def test_277ca_errors_are_located():
    with pytest.raises(X12StructureError) as raised:
        read_277ca(_277("PR", ["STC*A2*20260312*WQ*150~"]))
    assert raised.value.segment_id == "STC"
    assert raised.value.element == 1
    with pytest.raises(X12StructureError, match="TRN"):
        read_277ca(_277("PR", ["STC*A2:20*20260312~"], drop="TRN*2*CLM000001~"))


def _samples(folder: str) -> list[Path]:
    directory = SAMPLES / folder
    return sorted(directory.iterdir()) if directory.is_dir() else []


@pytest.mark.skipif(not _samples("999"), reason="no shared 999 samples on this machine")
def test_shared_999_samples():  # K8
    results = {}
    for path in _samples("999"):
        try:
            results[path.name] = [a.group_status for a in read_999(path.read_text())]
        except X12SyntaxError as error:
            results[path.name] = [f"refused: {error.reason}"]
    assert results["imsweb__x12_999_rejected.txt"] == ["R"]
    assert results["oopfactory__999_DHS_Wisconsin_Sample.txt"] == ["P"]  # indented, partial
    # IEA02 000000001 vs ISA13 000000286: refused with the reason, as decision 0016 says
    assert "does not match ISA13" in results["imsweb__x12_999_accepted.txt"][0]


@pytest.mark.skipif(not _samples("277"), reason="no shared 277 samples on this machine")
def test_shared_277ca_samples():  # K8: including a receiver-level rejection with no claim loop
    claims = {path.name: read_277ca(path.read_text())[0] for path in _samples("277")}
    assert claims["hdi__277CA-receiver-rejected.edi"].claims == ()
    assert [s.category for _, s in claims["hdi__277CA-receiver-rejected.edi"].level_statuses] == ["A3"]
    (rejected,) = claims["imsweb__x12_277CA_rejected.txt"].claims
    assert rejected.statuses[0].category == "A7"
    assert rejected.rejected
    (accepted,) = claims["imsweb__x12_277CA_accepted.txt"].claims
    assert accepted.payer_claim_control_number == "1107000000014420"
    assert all(c.claim_id for ack in claims.values() for c in ack.claims)


@settings(max_examples=40, deadline=None)
@given(
    sets=st.lists(
        st.tuples(st.sampled_from("AERMWX"), st.lists(st.integers(min_value=0, max_value=3), max_size=3)),
        min_size=1,
        max_size=6,
    )
)
def test_999_round_trip(sets):
    # given: a 999 written from the statuses and error shapes
    body = ["AK1*HC*23*005010X222A1~"]
    for number, (status, errors) in enumerate(sets, start=1):
        body.append(f"AK2*837*{number:04d}*005010X222A1~")
        for position, elements in enumerate(errors, start=2):
            body.append(f"IK3*SV1*{position}*2400*8~")
            body += [f"IK4*{e + 1}*234*7*BAD{e}~" for e in range(elements)]
        body.append(f"IK5*{status}~")
    accepted = sum(1 for status, _ in sets if status in "AE")
    group = "A" if accepted == len(sets) else ("R" if not accepted else "P")
    body.append(f"AK9*{group}*{len(sets)}*{len(sets)}*{accepted}~")

    # when
    (ack,) = read_999(_wrap("FA", "005010X231A1", body))

    # then
    assert [(s.control_number, s.status) for s in ack.sets] == [
        (f"{i:04d}", x) for i, (x, _) in enumerate(sets, 1)
    ]
    assert [[len(e.elements) for e in s.errors] for s in ack.sets] == [errors for _, errors in sets]
    assert len(ack.rejected_sets()) == len(sets) - accepted
    assert (ack.group_status, ack.accepted_count) == (group, accepted)
