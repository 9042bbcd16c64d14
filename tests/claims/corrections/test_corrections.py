"""Replacement (frequency 7) and void (8) claims: REF*F8 from the payer's claim number (C7), every
line carried unless the payer rule says otherwise (C17), refusals in words, pyx12-clean files."""

from __future__ import annotations

import pytest

from claims.models import Claim, ClaimAcknowledgement, ClaimEvent
from claims.services.corrections import LineChange, claim_replace, claim_void
from core.errors import Conflict, PermissionDenied, ValidationFailed
from tests.claims.corrections.helpers import (
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

DENIED_LINE_2 = {1: (15000, []), 2: (0, [cas("CO", "4", 12000)]), 3: (8000, [])}


def _file(claim: Claim) -> str:
    return batch_837(claim)


def test_c7_replacement_carries_the_payer_claim_number_from_the_835_and_passes_pyx12():
    s = cob_scenario(status="partially_paid")
    adjudicate(s.claim, DENIED_LINE_2, payer_claim_number="PAYER-CLP07")
    biller = member(s.practice)

    new = claim_replace(
        s.claim.pk,
        actor=biller,
        reason="Modifier corrected on line 2",
        line_changes={2: LineChange(modifiers=("HO",))},
    )

    assert (new.frequency, new.version, new.replaces, new.original) == ("7", 2, s.claim, s.claim)
    assert new.payer_claim_number == "PAYER-CLP07"
    assert new.patient_control_number != s.claim.patient_control_number
    assert new.status == "ready", new.findings
    text = _file(new)
    ok, ack = pyx12_validate(text)
    assert ok, ack
    rows = segments(text)
    clm = next(r for r in rows if r[0] == "CLM")
    assert clm[5] == "11:B:7"
    assert ["REF", "F8", "PAYER-CLP07"] in rows
    assert next(r for r in rows if r[0] == "SV1" and r[1].startswith("HC:90834"))[1] == "HC:90834:HO"
    assert ClaimEvent.objects.filter(claim=s.claim, kind="new_version").exists()
    Claim.objects.get(pk=s.claim.pk)  # the old version stays as the payer has it
    assert Claim.objects.get(pk=s.claim.pk).status == "partially_paid"


def test_c17_a_replacement_carries_all_lines_not_only_the_denied_one():
    s = cob_scenario(status="partially_paid")
    adjudicate(s.claim, DENIED_LINE_2)

    with pytest.raises(ValidationFailed, match="every line") as refused:
        claim_replace(s.claim.pk, actor=None, reason="Rebill line 2", line_numbers=[2])
    assert refused.value.field_errors == {"lines": [refused.value.field_errors["lines"][0]]}
    assert not Claim.objects.filter(replaces=s.claim).exists()  # nothing half-written

    new = claim_replace(s.claim.pk, actor=None, reason="Rebill with line 2 corrected")
    assert [(line.line_number, line.code) for line in new.lines.order_by("line_number")] == [
        (1, "90837"),
        (2, "90834"),
        (3, "90832"),
    ]
    assert new.total_cents == s.claim.total_cents


def test_c17_a_payer_taking_partial_replacements_gets_only_the_corrected_line():
    s = cob_scenario(status="partially_paid")
    rules(s.practice, s.primary_payer, {"replacement_lines": "changed"})
    adjudicate(s.claim, DENIED_LINE_2)

    new = claim_replace(s.claim.pk, actor=None, reason="Rebill line 2", line_numbers=[2])

    assert [line.line_number for line in new.lines.all()] == [2]
    assert new.total_cents == 12000
    assert pyx12_validate(_file(new))[0]


def test_c7_refused_when_the_payer_claim_number_is_unknown():
    s = cob_scenario(status="accepted_payer")
    with pytest.raises(ValidationFailed, match="claim number is not known") as refused:
        claim_replace(s.claim.pk, actor=None, reason="Fix")
    assert refused.value.code == "payer_claim_number_missing"
    with pytest.raises(ValidationFailed, match="claim number is not known"):
        claim_void(s.claim.pk, actor=None, reason="Billed in error")
    assert not Claim.objects.filter(replaces=s.claim).exists()


def test_c7_the_payer_277ca_claim_number_is_enough():
    s = cob_scenario(status="accepted_payer")
    from django.utils import timezone

    ClaimAcknowledgement.objects.create(
        claim=s.claim,
        source="payer_277ca",
        accepted=True,
        payer_claim_number="277-NUM",
        occurred_at=timezone.now(),
    )
    new = claim_void(s.claim.pk, actor=None, reason="Billed in error")
    assert (new.frequency, new.payer_claim_number) == ("8", "277-NUM")
    assert new.lines.count() == 3
    text = _file(new)
    ok, ack = pyx12_validate(text)
    assert ok, ack
    rows = segments(text)
    assert next(r for r in rows if r[0] == "CLM")[5] == "11:B:8"
    assert ["REF", "F8", "277-NUM"] in rows


def test_c7_a_payer_taking_no_replacements_blocks_and_explains():
    s = cob_scenario(status="paid")
    s.primary_payer.kind = "medicare"
    s.primary_payer.save()
    adjudicate(s.claim, PAID_WITH_PR)
    with pytest.raises(ValidationFailed, match="does not take replacement claims"):
        claim_replace(s.claim.pk, actor=None, reason="Fix")

    s2 = cob_scenario(status="paid")
    rules(s2.practice, s2.primary_payer, {"voids": False})
    adjudicate(s2.claim, PAID_WITH_PR)
    with pytest.raises(ValidationFailed, match="does not take void claims"):
        claim_void(s2.claim.pk, actor=None, reason="Billed in error")
    assert claim_replace(s2.claim.pk, actor=None, reason="Fix").frequency == "7"


@pytest.mark.parametrize("status", ["draft", "ready", "submitted", "rejected", "voided"])
def test_a_claim_the_payer_does_not_have_is_fixed_in_place_not_replaced(status):
    s = cob_scenario(status=status)
    with pytest.raises(Conflict):
        claim_replace(s.claim.pk, actor=None, reason="Fix")


def test_one_newer_version_at_a_time_and_a_reason_is_required():
    s = cob_scenario(status="denied")
    adjudicate(s.claim, DENIED_LINE_2)
    with pytest.raises(ValidationFailed, match="Say why"):
        claim_replace(s.claim.pk, actor=None, reason="  ")
    new = claim_replace(s.claim.pk, actor=None, reason="Fix")
    with pytest.raises(Conflict, match="newer version"):
        claim_replace(s.claim.pk, actor=None, reason="Fix again")
    assert new.original_id == s.claim.pk


def test_only_billers_correct_claims_of_their_practice():
    s = cob_scenario(status="denied")
    adjudicate(s.claim, DENIED_LINE_2)
    with pytest.raises(PermissionDenied):
        claim_replace(s.claim.pk, actor=member(s.practice, "clinician"), reason="Fix")
    other = cob_scenario(status="denied")
    from core.errors import NotFound

    with pytest.raises(NotFound):
        claim_replace(s.claim.pk, actor=member(other.practice), reason="Fix")


def test_the_old_version_closes_or_voids_once_the_payer_accepts_the_new_one():
    from claims.services.adjudication import AdjudicationIn, claim_adjudication_record
    from claims.services.corrections import claim_version_accepted

    s = cob_scenario(status="partially_paid")
    adjudicate(s.claim, DENIED_LINE_2)
    replacement = claim_replace(s.claim.pk, actor=None, reason="Fix")
    assert claim_version_accepted(replacement.pk) == "unchanged"  # not accepted yet
    Claim.objects.filter(pk=replacement.pk).update(status="submitted")
    claim_adjudication_record(
        AdjudicationIn(
            claim_id=replacement.pk,
            era_reference="ERA-R",
            claim_status_code="1",
            paid_cents=35000,
            patient_responsibility_cents=0,
            adjudicated_on=s.claim.date_from,
        )
    )
    assert Claim.objects.get(pk=s.claim.pk).status == "closed"
    assert claim_version_accepted(replacement.pk) == "unchanged"  # idempotent

    s2 = cob_scenario(status="paid")
    adjudicate(s2.claim, PAID_WITH_PR)
    void = claim_void(s2.claim.pk, actor=None, reason="Billed in error")
    Claim.objects.filter(pk=void.pk).update(status="accepted_payer")
    assert claim_version_accepted(void.pk) == "voided"
    assert Claim.objects.get(pk=s2.claim.pk).status == "voided"
    assert ClaimEvent.objects.filter(claim=s2.claim, to_status="voided").exists()
