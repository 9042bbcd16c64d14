"""The sandbox clearinghouse for claims, end to end at the pure level: an 837P built with edi.x837p
for a scenario's test member is submitted, the responses are collected stage by stage and read
with our parsers (read_999, read_277ca, parse_835); every response file passes pyx12.

Pitfalls named: K1 (999 partial acceptance), K2 (a failed file), K3 (the clearinghouse's 277CA is
not the payer's), K7 (a submission never acknowledged), R2 (reversal), R8 (unbalanced), R10 (PLB),
R6/R7 (REF*6R echoed or not, a changed code), R14 (paid $0 to the deductible), R15 (crossover).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from clearinghouse.interface import (
    ClaimsAdapter,
    InboundDocument,
    PermanentClearinghouseError,
    collect_and_archive,
)
from clearinghouse.sandbox_claims import (
    CLAIM_SCENARIO_LABELS,
    CLAIM_SCENARIO_PREFIXES,
    ClaimScenario,
    SandboxClaimsClearinghouse,
    claim_scenario,
    payer_claim_number,
)
from edi.x277ca import Ack277CA, read_277ca
from edi.x835 import Payment835, claim_imbalance, imbalances, parse_835
from edi.x837p import Claim, build_837p
from edi.x999 import Ack999, read_999
from tests.edi.pyx12_oracle import pyx12_validate
from tests.edi.samples837 import SUBSCRIBER, batch, claim, envelope, line
from tests.edi.test_ack_writers import VARIANTS, _hl_chain, _variant

D = Decimal
PREFIX = {scenario: prefix for prefix, scenario in CLAIM_SCENARIO_PREFIXES.items()}


def scenario_claim(scenario: ClaimScenario, claim_id: str = "CLM000001", **overrides: object) -> Claim:
    """Two lines: 90837-95 for $150 and 90785 for $40, with line control numbers."""
    return claim(
        claim_id=claim_id,
        subscriber=replace(SUBSCRIBER, member_id=f"{PREFIX[scenario]}0001"),
        lines=(
            line(control_number=f"{claim_id}-1", modifiers=("95",)),
            line(control_number=f"{claim_id}-2", procedure="90785", charge=D("40.00")),
        ),
        **overrides,
    )


def submit(
    sandbox: SandboxClaimsClearinghouse, *claims: Claim, name: str = "837_000000017.x12", **kw: object
) -> str:
    text = build_837p(batch(*claims, **kw), envelope())
    sandbox.submit_claims(name, text)
    return text


def collect_stages(sandbox: SandboxClaimsClearinghouse, rounds: int = 6) -> list[list[InboundDocument]]:
    """Collect `rounds` times, archiving everything handed over; the documents of each round."""
    stages = []
    for _ in range(rounds):
        documents = sandbox.collect_responses()
        for document in documents:
            sandbox.archive(document.name)
        stages.append(documents)
    return stages


def pyx12_clean(document: InboundDocument) -> None:
    ok, ack = pyx12_validate(document.text)
    assert ok, (document.name, ack)


@pytest.fixture
def sandbox(tmp_path: Path) -> SandboxClaimsClearinghouse:
    return SandboxClaimsClearinghouse(tmp_path / "mailbox")


def test_the_sandbox_meets_the_claims_protocol(sandbox: SandboxClaimsClearinghouse) -> None:
    assert isinstance(sandbox, ClaimsAdapter)
    assert sandbox.is_sandbox is True
    assert set(CLAIM_SCENARIO_LABELS) == set(ClaimScenario) == set(CLAIM_SCENARIO_PREFIXES.values())


def test_scenarios_come_from_the_member_id_prefix() -> None:
    assert claim_scenario("sbcauth-77") is ClaimScenario.NO_AUTHORIZATION
    assert claim_scenario("SBCPAYREJ1") is ClaimScenario.PAYER_REJECT
    assert claim_scenario("SBCPART9") is ClaimScenario.PARTIAL
    assert claim_scenario("COM12345678") is ClaimScenario.PAID  # anyone else is paid in full
    assert (
        payer_claim_number("CLM000001") == payer_claim_number("CLM000001") != payer_claim_number("CLM000002")
    )


def test_responses_come_in_stages_999_then_clearinghouse_then_payer_then_835(
    sandbox: SandboxClaimsClearinghouse,
) -> None:
    submit(sandbox, scenario_claim(ClaimScenario.PAID))
    assert sandbox.pending_stages("837_000000017.x12") == 4

    stages = collect_stages(sandbox)

    assert [[d.kind for d in stage] for stage in stages] == [["999"], ["277CA"], ["277CA"], ["835"], [], []]
    assert all(d.submission_file == "837_000000017.x12" for stage in stages for d in stage)
    (ack,) = read_999(stages[0][0].text)
    assert (ack.group_status, ack.accepted_count, ack.group_control_number) == ("A", 1, "23")
    (clearinghouse,) = read_277ca(stages[1][0].text)
    (payer,) = read_277ca(stages[2][0].text)
    assert clearinghouse.from_clearinghouse
    assert not payer.from_clearinghouse
    assert clearinghouse.claims[0].payer_claim_control_number == ""
    assert payer.claims[0].payer_claim_control_number == payer_claim_number("CLM000001")
    (payment,) = parse_835(stages[3][0].text).transactions
    assert payment.claims[0].payer_claim_control_number == payer_claim_number("CLM000001")
    assert sandbox.pending_stages("837_000000017.x12") == 0
    for stage in stages:
        for document in stage:
            pyx12_clean(document)


def test_a_document_not_archived_comes_back_and_archiving_twice_is_harmless(
    sandbox: SandboxClaimsClearinghouse,
) -> None:
    submit(sandbox, scenario_claim(ClaimScenario.PAID))
    first = sandbox.collect_responses()
    again = sandbox.collect_responses()  # the 999 was not archived: still there, with the 277CA
    assert [d.name for d in again] == [first[0].name, "SBX000001.2.277CA.x12"]
    assert again[0].text == first[0].text
    sandbox.archive(first[0].name)
    sandbox.archive(first[0].name)
    with pytest.raises(PermanentClearinghouseError):
        sandbox.archive("SBX999999.1.999.x12")
    assert [d.name for d in sandbox.collect_responses()] == ["SBX000001.2.277CA.x12", "SBX000001.3.277CA.x12"]


def test_collect_and_archive_keeps_what_the_handler_failed(sandbox: SandboxClaimsClearinghouse) -> None:
    submit(sandbox, scenario_claim(ClaimScenario.PAID))

    def broken(document: InboundDocument) -> None:
        raise RuntimeError("database down")

    outcome = collect_and_archive(sandbox, broken)
    assert outcome.failed == [("SBX000001.1.999.x12", "RuntimeError: database down")]
    seen: list[str] = []
    outcome = collect_and_archive(sandbox, lambda d: seen.append(d.name))
    assert seen == outcome.archived == ["SBX000001.1.999.x12", "SBX000001.2.277CA.x12"]


def test_submitting_the_same_file_name_twice_returns_the_first_receipt(
    sandbox: SandboxClaimsClearinghouse,
) -> None:
    text = build_837p(batch(scenario_claim(ClaimScenario.PAID)), envelope())
    first = sandbox.submit_claims("837_a.x12", text)
    again = sandbox.submit_claims("837_a.x12", text)
    assert not first.already_submitted
    assert again.already_submitted
    assert (again.submission_id, again.sha256, again.received_at) == (
        first.submission_id,
        first.sha256,
        first.received_at,
    )
    assert len(list((sandbox.directory / "submissions").glob("*.json"))) == 1
    stages = collect_stages(sandbox)
    assert sum(len(stage) for stage in stages) == 4  # one set of answers, not two


def test_the_mailbox_is_shared_by_every_process_and_deterministic(tmp_path: Path) -> None:
    web = SandboxClaimsClearinghouse(tmp_path / "one")
    submit(web, scenario_claim(ClaimScenario.PARTIAL))
    worker = SandboxClaimsClearinghouse(tmp_path / "one")  # another process, same directory
    assert [d.kind for d in worker.collect_responses()] == ["999"]
    elsewhere = SandboxClaimsClearinghouse(tmp_path / "two")
    submit(elsewhere, scenario_claim(ClaimScenario.PARTIAL))
    assert [d.text for d in elsewhere.collect_responses()] == [d.text for d in web.collect_responses()][:1]


def test_two_workers_collecting_at_once_release_one_stage_each(sandbox: SandboxClaimsClearinghouse) -> None:
    submit(sandbox, scenario_claim(ClaimScenario.PAID))
    results: list[list[str]] = []
    barrier = threading.Barrier(2)

    def collect() -> None:
        other = SandboxClaimsClearinghouse(sandbox.directory)
        barrier.wait()
        results.append([d.name for d in other.collect_responses()])

    threads = [threading.Thread(target=collect) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=len) == [
        ["SBX000001.1.999.x12"],
        ["SBX000001.1.999.x12", "SBX000001.2.277CA.x12"],
    ]
    assert sandbox.pending_stages("837_000000017.x12") == 2
    assert sorted(p.name for p in (sandbox.directory / "inbox").iterdir()) == [
        "SBX000001.1.999.x12",
        "SBX000001.2.277CA.x12",
    ]


def test_a_release_cut_short_is_finished_by_the_next_collect(sandbox: SandboxClaimsClearinghouse) -> None:
    import json

    submit(sandbox, scenario_claim(ClaimScenario.PAID))
    record = sandbox.directory / "submissions" / "837_000000017.x12.json"
    state = json.loads(record.read_text())
    state["released"] = 2  # a collector died after recording the release, before moving files
    record.write_text(json.dumps(state))
    assert [d.kind for d in sandbox.collect_responses()] == ["999", "277CA", "277CA"]


def test_latency_is_simulated_on_every_call(tmp_path: Path) -> None:
    slept: list[float] = []
    sandbox = SandboxClaimsClearinghouse(tmp_path, latency_ms=250, sleep=slept.append)
    submit(sandbox, scenario_claim(ClaimScenario.PAID))
    sandbox.collect_responses()
    assert slept == [0.25, 0.25]


def test_a_file_that_cannot_be_read_is_refused_and_nothing_is_kept(  # K2
    sandbox: SandboxClaimsClearinghouse,
) -> None:
    text = build_837p(batch(scenario_claim(ClaimScenario.PAID)), envelope())
    broken = text.replace("IEA*1*000000017", "IEA*1*000000018")
    with pytest.raises(PermanentClearinghouseError, match="no claim in it was submitted") as refused:
        sandbox.submit_claims("837_a.x12", broken)
    assert refused.value.request_x12 == broken
    assert not list((sandbox.directory / "submissions").glob("*.json"))
    assert sandbox.collect_responses() == []
    assert not sandbox.submit_claims("837_a.x12", text).already_submitted  # the fixed file goes


def test_a_file_name_with_a_path_is_refused(sandbox: SandboxClaimsClearinghouse) -> None:
    with pytest.raises(PermanentClearinghouseError):
        sandbox.submit_claims("../837.x12", "ISA")


def test_999_partial_acceptance_rejects_only_the_sets_in_error(
    sandbox: SandboxClaimsClearinghouse,
) -> None:  # K1
    claims = [
        scenario_claim(ClaimScenario.PAID, "CLM000001"),
        scenario_claim(ClaimScenario.X12_REJECT, "CLM000002"),
        scenario_claim(ClaimScenario.X12_REJECT, "CLM000003"),
    ]
    text = submit(sandbox, *claims, max_per_transaction=1)

    stages = collect_stages(sandbox)

    (ack,) = read_999(stages[0][0].text)
    assert (ack.group_status, ack.included, ack.received, ack.accepted_count) == ("P", 3, 3, 1)
    assert [(s.control_number, s.status) for s in ack.sets] == [("0001", "A"), ("0002", "R"), ("0003", "R")]
    error = ack.sets[1].errors[0]
    (element,) = error.elements
    assert (error.segment_id, error.loop, element.position, element.bad_value) == (
        "NM1",
        "2010",
        "9",
        "SBCX120001",
    )
    st_segments = text.split("ST*837*0002")[1].split("~")
    assert st_segments[error.position - 1].startswith("NM1*IL*1*RIVERA*ANA****MI*SBCX120001")
    later = [c.claim_id for stage in stages[1:3] for d in stage for a in read_277ca(d.text) for c in a.claims]
    assert later == ["CLM000001", "CLM000001"]  # the rejected sets never reach the 277CAs
    pyx12_clean(stages[0][0])


def test_a_999_rejecting_every_set_ends_the_submission(sandbox: SandboxClaimsClearinghouse) -> None:  # K1, K2
    submit(sandbox, scenario_claim(ClaimScenario.X12_REJECT))
    stages = collect_stages(sandbox)
    assert [[d.kind for d in stage] for stage in stages] == [["999"], [], [], [], [], []]
    (ack,) = read_999(stages[0][0].text)
    assert (ack.group_status, ack.accepted_count) == ("R", 0)


def test_the_clearinghouse_acceptance_is_not_the_payers(
    sandbox: SandboxClaimsClearinghouse,
) -> None:  # K3, K4
    submit(sandbox, scenario_claim(ClaimScenario.PAYER_REJECT))
    stages = collect_stages(sandbox)
    assert [[d.kind for d in stage] for stage in stages][:4] == [["999"], ["277CA"], ["277CA"], []]
    (clearinghouse,) = read_277ca(stages[1][0].text)
    (payer,) = read_277ca(stages[2][0].text)
    assert clearinghouse.from_clearinghouse
    assert clearinghouse.sender_qualifier == "AY"
    assert [s.category for s in clearinghouse.claims[0].statuses] == ["A1"]
    assert (payer.sender_qualifier, payer.sender_id) == ("PR", "SBXPAYER")
    status = payer.claims[0].statuses[0]
    assert (status.category, status.code, status.entity, status.action) == ("A7", "562", "85", "U")
    assert payer.claims[0].rejected
    assert payer.claims[0].payer_claim_control_number == ""


def test_a_clearinghouse_rejection_never_reaches_the_payer(sandbox: SandboxClaimsClearinghouse) -> None:
    submit(sandbox, scenario_claim(ClaimScenario.CLEARINGHOUSE_REJECT))
    stages = collect_stages(sandbox)
    assert [[d.kind for d in stage] for stage in stages][:3] == [["999"], ["277CA"], []]
    (ack,) = read_277ca(stages[1][0].text)
    status = ack.claims[0].statuses[0]
    assert (status.category, status.code, status.entity, status.free_text) == (
        "A7",
        "164",
        "IL",
        "INVALID MEMBER ID",
    )
    assert [(level, s.category) for level, s in ack.level_statuses] == [("21", "A1"), ("19", "A1")]


def test_a_silent_submission_never_gets_any_acknowledgement(
    sandbox: SandboxClaimsClearinghouse,
) -> None:  # K7
    submit(sandbox, scenario_claim(ClaimScenario.SILENT))
    assert collect_stages(sandbox) == [[], [], [], [], [], []]
    assert sandbox.pending_stages("837_000000017.x12") == 0


def test_a_silent_claim_beside_others_gets_the_999_but_no_277ca(
    sandbox: SandboxClaimsClearinghouse,
) -> None:  # K7
    submit(
        sandbox,
        scenario_claim(ClaimScenario.PAID, "CLM000001"),
        scenario_claim(ClaimScenario.SILENT, "CLM000002"),
    )
    stages = collect_stages(sandbox)
    assert read_999(stages[0][0].text)[0].group_status == "A"
    ids = {
        c.claim_id
        for stage in stages[1:]
        for d in stage
        if d.kind == "277CA"
        for a in read_277ca(d.text)
        for c in a.claims
    }
    assert ids == {"CLM000001"}
    (payment,) = parse_835(stages[3][0].text).transactions
    assert [c.patient_control_number for c in payment.claims] == ["CLM000001"]


# -- every scenario, end to end --------------------------------------------------------------------

ADJUDICATED = {
    # scenario: (CLP02, CLP04 paid, CLP05 patient responsibility, {(group, reason): total})
    ClaimScenario.PAID: ("1", "190.00", "0.00", {}),
    ClaimScenario.PARTIAL: (
        "1",
        "34.40",
        "98.60",
        {("CO", "45"): "57.00", ("PR", "1"): "50.00", ("PR", "2"): "8.60", ("PR", "3"): "40.00"},
    ),
    ClaimScenario.DEDUCTIBLE: ("1", "0.00", "133.00", {("CO", "45"): "57.00", ("PR", "1"): "133.00"}),
    ClaimScenario.NO_AUTHORIZATION: ("4", "0.00", "0.00", {("CO", "197"): "190.00"}),
    ClaimScenario.MEDICAL_NECESSITY: ("4", "0.00", "0.00", {("CO", "50"): "190.00"}),
    ClaimScenario.MISSING_INFORMATION: ("4", "0.00", "0.00", {("CO", "16"): "190.00"}),
    ClaimScenario.TIMELY_FILING: ("4", "0.00", "0.00", {("CO", "29"): "190.00"}),
    ClaimScenario.DUPLICATE: ("4", "0.00", "0.00", {("CO", "18"): "190.00"}),
    ClaimScenario.COVERAGE_TERMINATED: ("4", "0.00", "0.00", {("CO", "27"): "190.00"}),
    ClaimScenario.MODIFIER: ("4", "0.00", "0.00", {("CO", "4"): "190.00"}),
    ClaimScenario.DIAGNOSIS: ("4", "0.00", "0.00", {("CO", "11"): "190.00"}),
    ClaimScenario.BENEFIT_MAXIMUM: ("4", "0.00", "0.00", {("CO", "119"): "190.00"}),
    ClaimScenario.OTHER_PAYER_PRIMARY: ("4", "0.00", "0.00", {("CO", "22"): "190.00"}),
    ClaimScenario.CONTRACT_ZERO: ("4", "0.00", "0.00", {("CO", "45"): "190.00"}),
    ClaimScenario.NOT_ENROLLED: ("4", "0.00", "0.00", {("CO", "B7"): "190.00"}),
    ClaimScenario.NOT_COVERED: ("4", "0.00", "190.00", {("PR", "204"): "190.00"}),
    ClaimScenario.NO_LINE_CONTROL: ("1", "133.00", "0.00", {("CO", "45"): "57.00"}),
    ClaimScenario.RECODED: ("1", "133.00", "0.00", {("CO", "45"): "57.00"}),
    ClaimScenario.UNMATCHED_LINE: ("1", "133.00", "0.00", {("CO", "45"): "57.00"}),
    ClaimScenario.UNMATCHED_CLAIM: ("1", "133.00", "0.00", {("CO", "45"): "57.00"}),
    ClaimScenario.PROVIDER_ADJUSTMENT: ("1", "190.00", "0.00", {}),
    ClaimScenario.REVERSAL: ("1", "133.00", "0.00", {("CO", "45"): "57.00"}),
    ClaimScenario.UNBALANCED: ("1", "138.00", "0.00", {("CO", "45"): "57.00"}),
    ClaimScenario.REPROCESSED: ("4", "0.00", "0.00", {("CO", "50"): "190.00"}),
    ClaimScenario.FORWARD_BALANCE: ("1", "190.00", "0.00", {}),
    ClaimScenario.CORRECTED_MEMBER: ("1", "190.00", "0.00", {}),
    ClaimScenario.UNKNOWN_CODE: ("1", "133.00", "0.00", {("CO", "Z99"): "57.00"}),
    ClaimScenario.CROSSOVER: (
        "19",
        "34.40",
        "98.60",
        {("CO", "45"): "57.00", ("PR", "1"): "50.00", ("PR", "2"): "8.60", ("PR", "3"): "40.00"},
    ),
}
NOT_ADJUDICATED = {
    ClaimScenario.X12_REJECT: ["999"],
    ClaimScenario.CLEARINGHOUSE_REJECT: ["999", "277CA"],
    ClaimScenario.PAYER_REJECT: ["999", "277CA", "277CA"],
    ClaimScenario.SILENT: [],
}


def test_every_scenario_is_covered_below() -> None:
    assert set(ADJUDICATED) | set(NOT_ADJUDICATED) | {ClaimScenario.SPLIT} == set(ClaimScenario)


def _totals(payment: Payment835) -> dict[tuple[str, str], Decimal]:
    totals: dict[tuple[str, str], Decimal] = {}
    for claim_payment in payment.claims:
        for adjustment in [
            *claim_payment.adjustments,
            *(a for ln in claim_payment.lines for a in ln.adjustments),
        ]:
            key = (adjustment.group, adjustment.reason)
            totals[key] = totals.get(key, D(0)) + adjustment.amount
    return totals


@pytest.mark.parametrize("scenario", list(ADJUDICATED), ids=str)
def test_adjudicated_scenario_end_to_end(
    sandbox: SandboxClaimsClearinghouse, scenario: ClaimScenario
) -> None:
    # given
    submit(sandbox, scenario_claim(scenario))

    # when
    stages = collect_stages(sandbox)

    # then: the acknowledgements accept it
    (ack,) = read_999(stages[0][0].text)
    assert ack.group_status == "A"
    (clearinghouse,) = read_277ca(stages[1][0].text)
    (payer,) = read_277ca(stages[2][0].text)
    assert [c.claim_id for c in clearinghouse.claims] == [c.claim_id for c in payer.claims] == ["CLM000001"]
    assert payer.claims[0].statuses[0].category == "A2"
    # and the 835 says what the scenario says, pyx12-clean
    (document,) = stages[3]
    pyx12_clean(document)
    (payment,) = parse_835(document.text).transactions
    (paid,) = payment.claims
    status, amount, responsibility, adjustments = ADJUDICATED[scenario]
    # R17: the payer cut CLP01 short, so it names no claim of ours
    pcn = "CLM00000" if scenario is ClaimScenario.UNMATCHED_CLAIM else "CLM000001"
    assert (paid.patient_control_number, paid.status, paid.charge) == (pcn, status, D("190.00"))
    assert (paid.paid, paid.patient_responsibility) == (D(amount), D(responsibility))
    assert paid.payer_claim_control_number == payer_claim_number("CLM000001")
    assert _totals(payment) == {key: D(value) for key, value in adjustments.items()}
    assert [line.charge for line in paid.lines] == [D("150.00"), D("40.00")]
    if scenario in {ClaimScenario.NO_LINE_CONTROL, ClaimScenario.UNMATCHED_LINE}:  # R7: no REF*6R echoed
        assert [line.control_number for line in paid.lines] == ["", ""]
    else:
        assert [line.control_number for line in paid.lines] == ["CLM000001-1", "CLM000001-2"]
    if scenario is ClaimScenario.UNBALANCED:  # R8: deliberately off by $5 at claim level
        off = claim_imbalance(paid)
        assert off is not None
        assert off.difference == D("5.00")
        assert [i.level for i in imbalances(payment)] == ["claim"]
    else:
        assert imbalances(payment) == []
    if scenario is ClaimScenario.MISSING_INFORMATION:
        assert [line.remarks for line in paid.lines] == [("M51",), ("M51",)]
    if scenario is ClaimScenario.RECODED:  # R6: the modifier dropped, a code changed; SVC06 the billed
        first, second = paid.lines
        assert (first.procedure.code, first.procedure.modifiers) == ("90837", ())
        assert first.billed_procedure.modifiers == ("95",)
        assert (second.procedure.code, second.billed_procedure.code) == ("90834", "90785")
    elif scenario is ClaimScenario.UNMATCHED_LINE:  # R7: a changed code, the billed one not in SVC06
        assert [line.procedure.code for line in paid.lines] == ["90834", "90785"]
        assert [line.original_procedure for line in paid.lines] == [None, None]
    else:
        assert [line.original_procedure for line in paid.lines] == [None, None]
    if scenario is ClaimScenario.CROSSOVER:  # R15
        assert paid.crossover_carrier is not None
        assert paid.crossover_carrier.name == "SANDBOX SECONDARY MUTUAL"
    if scenario is ClaimScenario.CORRECTED_MEMBER:  # R16
        assert paid.corrected_insured is not None
        assert paid.corrected_insured.id == "NSBCNEWID0001"
    else:
        assert paid.corrected_insured is None
    if scenario is ClaimScenario.FORWARD_BALANCE:  # R11: a $0 payment, the shortfall carried forward
        assert [(p.reason, p.reference, p.amount) for p in payment.provider_adjustments] == [
            ("FB", "CLM000001", D("190.00"))
        ]
        assert (payment.payment_amount, payment.handling_code) == (D("0.00"), "H")
    elif scenario is ClaimScenario.PROVIDER_ADJUSTMENT:  # R10: BPR02 = sum CLP04 - sum PLB
        assert [(p.reason, p.reference, p.amount) for p in payment.provider_adjustments] == [
            ("L6", "", D("-1.25")),
            ("WO", "CLM000001", D("25.00")),
        ]
        assert payment.payment_amount == D("166.25")
    else:
        assert payment.provider_adjustments == ()
        assert payment.payment_amount == paid.paid
    if scenario is ClaimScenario.DEDUCTIBLE:  # R14: processed, paid $0, not denied
        assert payment.handling_code == "H"
        assert payment.payment_method == "NON"
    expected_stages = 5 if scenario in {ClaimScenario.REVERSAL, ClaimScenario.REPROCESSED} else 4
    assert [bool(stage) for stage in stages] == [True] * expected_stages + [False] * (6 - expected_stages)


@pytest.mark.parametrize("scenario", list(NOT_ADJUDICATED), ids=str)
def test_scenario_that_never_reaches_an_835(
    sandbox: SandboxClaimsClearinghouse, scenario: ClaimScenario
) -> None:
    submit(sandbox, scenario_claim(scenario))
    stages = collect_stages(sandbox)
    assert [d.kind for stage in stages for d in stage] == NOT_ADJUDICATED[scenario]
    for stage in stages:
        for document in stage:
            pyx12_clean(document)


def test_a_reversal_and_its_re_adjudication_come_in_a_later_835(
    sandbox: SandboxClaimsClearinghouse,
) -> None:  # R2
    submit(sandbox, scenario_claim(ClaimScenario.REVERSAL))
    stages = collect_stages(sandbox)
    (first,) = parse_835(stages[3][0].text).transactions
    (second,) = parse_835(stages[4][0].text).transactions
    pyx12_clean(stages[4][0])
    original = first.claims[0]
    reversal, correction = second.claims
    assert (reversal.status, reversal.charge, reversal.paid) == ("22", -original.charge, -original.paid)
    assert reversal.payer_claim_control_number == original.payer_claim_control_number
    assert [[(a.group, a.reason, -a.amount) for a in ln.adjustments] for ln in reversal.lines] == [
        [(a.group, a.reason, a.amount) for a in ln.adjustments] for ln in original.lines
    ]
    assert (correction.status, correction.paid) == ("1", D("152.00"))  # allowed 80% on re-adjudication
    assert correction.payer_claim_control_number == payer_claim_number("CLM000001", 2)
    assert second.payment_amount == D("19.00")
    assert imbalances(second) == []


def test_a_secondary_claim_is_processed_as_secondary(sandbox: SandboxClaimsClearinghouse) -> None:
    from tests.edi.samples837 import secondary_claim

    submit(sandbox, secondary_claim())
    stages = collect_stages(sandbox)
    (payment,) = parse_835(stages[3][0].text).transactions
    assert [(c.patient_control_number, c.status) for c in payment.claims] == [("CLM000002", "2")]
    assert payment.payer is not None
    assert payment.payer_id == "SECPAYER"


def test_many_claims_to_two_payers_in_one_file(sandbox: SandboxClaimsClearinghouse) -> None:
    from tests.edi.samples837 import SECONDARY

    claims = [scenario_claim(s, f"CLM{n:06d}") for n, s in enumerate(ADJUDICATED, start=1)]
    claims.append(scenario_claim(ClaimScenario.PAID, "CLM000099", payer=SECONDARY))
    submit(sandbox, *claims)
    stages = collect_stages(sandbox)
    payers: list[Ack277CA] = read_277ca(stages[2][0].text)
    assert [(a.sender_id, len(a.claims)) for a in payers] == [("SBXPAYER", len(ADJUDICATED)), ("SECPAYER", 1)]
    payments = parse_835(stages[3][0].text).transactions
    assert [len(p.claims) for p in payments] == [len(ADJUDICATED), 1]
    assert len({p.trace_number for p in payments}) == 2
    for document in (stages[0][0], stages[1][0], stages[2][0], stages[3][0], stages[4][0]):
        pyx12_clean(document)
    acks: list[Ack999] = read_999(stages[0][0].text)
    assert acks[0].accepted_count == 1


def test_the_277cas_hl_chain_and_the_999s_echo_of_the_837(sandbox: SandboxClaimsClearinghouse) -> None:
    claims = [scenario_claim(ClaimScenario.PAID, f"CLM{n:06d}") for n in range(1, 4)]
    text = submit(sandbox, *claims, max_per_transaction=2)
    stages = collect_stages(sandbox, rounds=3)
    (ack,) = read_999(stages[0][0].text)
    assert (ack.functional_id, ack.group_control_number, ack.version) == ("HC", "23", "005010X222A1")
    assert (
        [s.control_number for s in ack.sets]
        == ["0001", "0002"]
        == [part.split("*")[2] for part in text.split("~") if part.startswith("ST*837")]
    )
    for document in (stages[1][0], stages[2][0]):
        chain = _hl_chain(document.text)  # numbered from 1, parents earlier, 20 > 21 > 19 > PT
        assert [level for _, _, level in chain] == ["20", "21", "19", "PT", "PT", "PT"]


def test_our_835_reader_takes_the_sandboxs_835_with_other_delimiters(
    sandbox: SandboxClaimsClearinghouse,
) -> None:  # K8
    submit(sandbox, scenario_claim(ClaimScenario.PARTIAL))
    text = collect_stages(sandbox, rounds=4)[3][0].text
    (base,) = parse_835(text).transactions
    for element, component, repetition, terminator in VARIANTS:
        (other,) = parse_835(_variant(text, element, component, repetition, terminator)).transactions
        assert (other.payment_amount, [c.paid for c in other.claims]) == (
            base.payment_amount,
            [c.paid for c in base.claims],
        )
        assert [line.procedure.modifiers for line in other.claims[0].lines] == [("95",), ()]
        assert imbalances(other) == []


def test_a_denial_reprocessed_to_paid_without_a_reversal(sandbox: SandboxClaimsClearinghouse) -> None:  # R3
    submit(sandbox, scenario_claim(ClaimScenario.REPROCESSED))
    stages = collect_stages(sandbox)
    (first,) = parse_835(stages[3][0].text).transactions
    (second,) = parse_835(stages[4][0].text).transactions
    assert [(c.status, c.paid) for c in first.claims] == [("4", D("0.00"))]
    assert [(c.status, c.paid, c.patient_control_number) for c in second.claims] == [
        ("1", D("190.00"), "CLM000001")
    ]
    assert second.claims[0].payer_claim_control_number == payer_claim_number("CLM000001", 2)
    assert imbalances(second) == []
    pyx12_clean(stages[4][0])


def test_a_claim_split_by_the_payer_one_clp_per_line(sandbox: SandboxClaimsClearinghouse) -> None:  # R13
    submit(sandbox, scenario_claim(ClaimScenario.SPLIT))
    document = collect_stages(sandbox, rounds=4)[3][0]
    pyx12_clean(document)
    (payment,) = parse_835(document.text).transactions
    assert [
        (c.patient_control_number, c.charge, c.paid, [ln.control_number for ln in c.lines])
        for c in payment.claims
    ] == [
        ("CLM000001", D("150.00"), D("150.00"), ["CLM000001-1"]),
        ("CLM000001", D("40.00"), D("40.00"), ["CLM000001-2"]),
    ]
    assert len({c.payer_claim_control_number for c in payment.claims}) == 2
    assert payment.payment_amount == D("190.00")
    assert imbalances(payment) == []
