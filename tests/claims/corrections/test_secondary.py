"""Secondary and tertiary claims from the earlier payer's adjudication: the 837's COB loops pass
pyx12 and carry what the pitfalls ask (C1, C2, C3, C4), crossovers create nothing (R15), the
deadline counts per the payer rule (D2), and the automatic path queues a durable job."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, ClaimEvent
from claims.selectors.x837 import claims_837_with_cob
from claims.services.secondary import (
    SECONDARY_TASK,
    claim_next_payer_after_adjudication,
    claim_secondary_create,
)
from core.errors import Conflict, ValidationFailed
from core.models import BackgroundJob
from tests.claims.corrections.helpers import (
    ADJUDICATED,
    DOS,
    PAID_WITH_PR,
    adjudicate,
    batch_837,
    cas,
    cob_scenario,
    member,
    rules,
    segments,
)
from tests.edi.pyx12_oracle import pyx12_validate

pytestmark = pytest.mark.django_db


def test_secondary_claim_carries_the_primary_adjudication_and_passes_pyx12():  # C1, C2, C3, C4
    # given
    s = cob_scenario()
    adjudicate(s.claim, PAID_WITH_PR)

    # when
    secondary = claim_secondary_create(s.claim.pk, actor=member(s.practice))

    # then
    assert (secondary.responsibility, secondary.payer, secondary.primary_claim) == (
        "S",
        s.secondary_payer,
        s.claim,
    )
    assert secondary.status == "ready", secondary.findings
    assert [line.line_number for line in secondary.lines.order_by("line_number")] == [1, 2, 3]
    text = batch_837(secondary)
    ok, ack = pyx12_validate(text)
    assert ok, ack
    rows = segments(text)
    assert [r[1] for r in rows if r[0] == "SBR"] == ["S", "P"]
    assert next(r for r in rows if r[0] == "SBR")[5] == ""  # C3: commercial secondary, no SBR05
    assert ["CAS", "CO", "45", "20"] in rows  # C1: one CAS per group
    assert ["CAS", "PR", "1", "30", "", "2", "10"] in rows
    assert ["REF", "F8", "ABC123"] in rows  # C2: 2330B carries the primary's CLP07
    assert ["AMT", "D", "230"] in rows  # paid 90 + 80 + 60
    amounts = [r[1] for r in rows if r[0] == "AMT"]
    assert amounts == ["D"]  # C4: no deprecated COB amounts (A8, B6, F2, ...)
    svd = [r for r in rows if r[0] == "SVD"]
    assert [(r[1], r[2]) for r in svd] == [("SBXPAYER", "90"), ("SBXPAYER", "80"), ("SBXPAYER", "60")]
    assert rows.count(["DTP", "573", "D8", "20260402"]) == 3  # C4: a date on each line, none on the claim


def test_secondary_to_medicare_needs_the_insurance_type_and_sends_it():  # C3
    s = cob_scenario(secondary_kind="medicare", secondary_filing_indicator="MB")
    adjudicate(s.claim, PAID_WITH_PR)

    held = claim_secondary_create(s.claim.pk, actor=None)

    assert held.status == "draft"
    assert any("SBR05" in f["message"] for f in held.findings)

    s2 = cob_scenario(secondary_kind="medicare", secondary_filing_indicator="MB")
    rules(s2.practice, s2.secondary_payer, {"medicare_secondary_type": "12"})
    adjudicate(s2.claim, PAID_WITH_PR)
    ready = claim_secondary_create(s2.claim.pk, actor=None)
    assert ready.status == "ready", ready.findings
    text = batch_837(ready)
    assert pyx12_validate(text)[0]
    assert next(r for r in segments(text) if r[0] == "SBR")[1:6] == ["S", "18", "GRP100", "", "12"]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            {1: (9000, [cas("CO", "45", 2000)]), 2: PAID_WITH_PR[2], 3: PAID_WITH_PR[3]},
            "is not the line charge",
        ),
        (
            {
                1: (9000, [cas("XX", "45", 2000), cas("PR", "1", 4000)]),
                2: PAID_WITH_PR[2],
                3: PAID_WITH_PR[3],
            },
            "CAS01",
        ),
        (
            {1: (9000, [cas("CO", "45", 0), cas("PR", "1", 6000)]), 2: PAID_WITH_PR[2], 3: PAID_WITH_PR[3]},
            "has no amount",
        ),
        ({1: PAID_WITH_PR[1], 2: PAID_WITH_PR[2]}, "no decision for this line"),
    ],
)
def test_cob_data_a_clearinghouse_rejects_holds_the_claim_naming_loop_and_element(lines, message):  # C1, C4
    s = cob_scenario()
    adjudicate(s.claim, lines)

    held = claim_secondary_create(s.claim.pk, actor=None)

    assert held.status == "draft"
    assert any(message in f["message"] and f["message"].startswith("2430") for f in held.findings), (
        held.findings
    )


def test_missing_primary_claim_number_holds_the_secondary():  # C2
    s = cob_scenario()
    adjudicate(s.claim, PAID_WITH_PR, payer_claim_number="")

    held = claim_secondary_create(s.claim.pk, actor=None)

    assert held.status == "draft"
    assert any("REF*F8" in f["field"] for f in held.findings)


def test_tertiary_claim_carries_both_earlier_payers_and_passes_pyx12():
    s = cob_scenario(tertiary=True)
    adjudicate(s.claim, PAID_WITH_PR)
    secondary = claim_secondary_create(s.claim.pk, actor=None)
    Claim.objects.filter(pk=secondary.pk).update(status="partially_paid")
    adjudicate(
        secondary,
        {
            1: (2000, [cas("PR", "1", 1000), cas("CO", "45", 12000)]),
            2: (0, [cas("CO", "45", 12000)]),
            3: (0, [cas("PR", "3", 8000)]),
        },
        payer_claim_number="SEC-77",
        patient_cents=9000,
    )

    tertiary = claim_secondary_create(secondary.pk, actor=None)

    assert (tertiary.responsibility, tertiary.payer, tertiary.primary_claim) == (
        "T",
        s.tertiary_payer,
        secondary,
    )
    assert tertiary.status == "ready", tertiary.findings
    text = batch_837(tertiary)
    ok, ack = pyx12_validate(text)
    assert ok, ack
    rows = segments(text)
    assert [r[1] for r in rows if r[0] == "SBR"] == ["T", "P", "S"]
    assert [r[2] for r in rows if r[:2] == ["REF", "F8"]] == ["ABC123", "SEC-77"]
    assert [r[2] for r in rows if r[:2] == ["AMT", "D"]] == ["230", "20"]


@pytest.mark.parametrize(
    ("status_code", "carrier", "remarks", "crossed"),
    [
        ("19", "", (), True),
        ("20", "", (), True),
        ("1", "SECOND MUTUAL", (), True),  # NM1*TT
        ("1", "", ("MA18",), True),
        ("1", "", (), False),
        ("22", "", (), False),  # a reversal is not a crossover
    ],
)
def test_r15_a_crossed_over_claim_gets_no_secondary(status_code, carrier, remarks, crossed):
    s = cob_scenario()
    adjudicate(s.claim, PAID_WITH_PR, status_code=status_code)

    outcome = claim_next_payer_after_adjudication(s.claim.pk, crossover_carrier=carrier, remark_codes=remarks)

    assert (outcome == "crossover") is crossed
    if crossed:
        event = ClaimEvent.objects.get(claim=s.claim, detail="crossover")
        assert event.reason.startswith("Crossed over to")
        if carrier:
            assert "Crossed over to SECOND MUTUAL" in event.reason
        with pytest.raises(Conflict, match="Crossed over"):
            claim_secondary_create(s.claim.pk, actor=None)
        assert not Claim.objects.filter(primary_claim=s.claim).exists()
        assert not BackgroundJob.objects.filter(task_name=SECONDARY_TASK).exists()


def test_an_adjudication_leaving_the_patient_owing_queues_the_secondary_once(
    django_capture_on_commit_callbacks,
):
    s = cob_scenario()
    adjudicate(s.claim, PAID_WITH_PR)

    with django_capture_on_commit_callbacks(execute=False):
        assert claim_next_payer_after_adjudication(s.claim.pk) == "queued"
        assert claim_next_payer_after_adjudication(s.claim.pk) == "queued"  # a redelivery

    job = BackgroundJob.objects.get(task_name=SECONDARY_TASK)
    assert job.kwargs == {"claim_id": s.claim.pk}
    assert ClaimEvent.objects.filter(claim=s.claim, detail="next_payer_queued").exists()
    from claims.tasks import claim_secondary_create_job

    claim_secondary_create_job(s.claim.pk)
    claim_secondary_create_job(s.claim.pk)  # idempotent
    assert Claim.objects.filter(primary_claim=s.claim).count() == 1
    assert claim_next_payer_after_adjudication(s.claim.pk) == "exists"


def test_nothing_is_queued_without_patient_responsibility_or_next_coverage():
    s = cob_scenario()
    adjudicate(s.claim, {1: (15000, []), 2: (12000, []), 3: (8000, [])})
    assert claim_next_payer_after_adjudication(s.claim.pk) == "nothing_owed"

    s2 = cob_scenario(tertiary=False)
    s2.patient.coverages.filter(priority=2).update(terminates_on=DOS - dt.timedelta(days=1))
    adjudicate(s2.claim, PAID_WITH_PR)
    assert claim_next_payer_after_adjudication(s2.claim.pk) == "no_next_coverage"
    with pytest.raises(ValidationFailed, match="no secondary coverage"):
        claim_secondary_create(s2.claim.pk, actor=None)


def test_a_claim_not_yet_adjudicated_gets_no_secondary():
    s = cob_scenario(status="submitted")
    with pytest.raises(Conflict, match="paid or denied"):
        claim_secondary_create(s.claim.pk, actor=None)


@pytest.mark.parametrize(
    ("counts_from", "deadline"),
    [
        ("date_of_service", DOS + dt.timedelta(days=60)),
        ("primary_adjudication", ADJUDICATED + dt.timedelta(days=60)),
    ],
)
def test_d2_the_secondary_deadline_counts_as_the_payer_rule_says(counts_from, deadline):
    s = cob_scenario()
    rules(s.practice, s.secondary_payer, {"secondary_filing_from": counts_from})
    adjudicate(s.claim, PAID_WITH_PR)

    secondary = claim_secondary_create(s.claim.pk, actor=None)

    assert secondary.timely_filing_deadline == deadline


def test_the_837_reads_cob_in_constant_queries():
    claims = []
    for _ in range(3):
        s = cob_scenario()
        adjudicate(s.claim, PAID_WITH_PR)
        claims.append(claim_secondary_create(s.claim.pk, actor=None).pk)
    counts = []
    for ids in (claims[:1], claims):
        with CaptureQueriesContext(connection) as queries:
            found = claims_837_with_cob(ids)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 10
    assert [sum(a.paid for line in f.x837.lines for a in line.adjudications) for f in found] == [
        Decimal("230")
    ] * 3
