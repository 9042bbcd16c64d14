"""Claim batches: queued with their send job in one transaction, sent exactly once (pitfall C16)."""

from __future__ import annotations

from typing import Any

import pytest

from claims.models import Claim, ClaimBatch, ClaimEvent
from claims.services.batches import claim_batch_create, claim_batch_progress, claim_batch_send, send_job_key
from core.errors import PermissionDenied, ValidationFailed
from core.models import BackgroundJob
from edi.reader import read_interchange
from practice.access import practice_access_for
from tests.claims.submission.conftest import Office

pytestmark = pytest.mark.django_db


def _statuses(claims: list[Claim]) -> set[str]:
    return set(Claim.objects.filter(pk__in=[c.pk for c in claims]).values_list("status", flat=True))


def test_create_queues_ready_claims_with_their_send_job(office: Office) -> None:
    # given
    claims = office.ready_claims(3)

    # when
    batch = claim_batch_create(office.practice.pk, [c.pk for c in claims], actor=office.biller)

    # then: the batch, its items, the claims queued with an event each, the durable job
    assert (batch.status, batch.claim_count) == ("queued", 3)
    assert _statuses(claims) == {"queued"}
    assert ClaimEvent.objects.filter(kind="transition", to_status="queued").count() == 3
    job = BackgroundJob.objects.get(key=send_job_key(batch.pk))
    assert (job.task_name, job.kwargs) == ("claims.tasks.claim_batch_send_task", {"batch_id": batch.pk})


def test_create_refuses_claims_that_are_not_ready_and_writes_nothing(office: Office) -> None:
    ready, draft = office.ready_claims(2)
    Claim.objects.filter(pk=draft.pk).update(status="draft")

    with pytest.raises(ValidationFailed, match="not ready") as raised:
        claim_batch_create(office.practice.pk, [ready.pk, draft.pk], actor=office.biller)

    assert raised.value.code == "claims_not_ready"
    assert ClaimBatch.objects.count() == 0
    assert BackgroundJob.objects.count() == 0
    assert Claim.objects.get(pk=ready.pk).status == "ready"


def test_create_refuses_another_practices_claims_and_a_clinician(office: Office, make_member: Any) -> None:
    (claim,) = office.ready_claims(1)
    with pytest.raises(ValidationFailed, match="do not exist"):
        claim_batch_create(office.practice.pk, [claim.pk + 1000], actor=office.biller)
    with pytest.raises(ValidationFailed, match="at least one"):
        claim_batch_create(office.practice.pk, [], actor=office.biller)
    clinician = practice_access_for(
        user=make_member("clinician", office.practice), practice_id=office.practice.pk
    )
    with pytest.raises(PermissionDenied):
        claim_batch_create(office.practice.pk, [claim.pk], actor=clinician)
    assert ClaimBatch.objects.count() == 0


def test_send_builds_the_file_once_and_submits_every_claim(office: Office) -> None:
    # given
    claims = office.ready_claims(3)
    batch = claim_batch_create(office.practice.pk, [c.pk for c in claims], actor=office.biller)

    # when
    assert claim_batch_send(batch_id=batch.pk) == "sent"

    # then
    batch.refresh_from_db()
    assert (batch.status, batch.attempts) == ("sent", 1)
    assert batch.sent_at is not None
    assert _statuses(claims) == {"submitted"}
    assert all(c.submitted_at for c in Claim.objects.filter(pk__in=[c.pk for c in claims]))
    ((name, text),) = office.clearinghouse.submissions().items()
    assert name == batch.file_name
    assert text == batch.x12
    interchange = read_interchange(text)
    assert int(interchange.isa.get(13)) == batch.interchange_control_number
    clm01 = [s.get(1) for t in interchange.transactions for s in t.segments if s.id == "CLM"]
    assert sorted(clm01) == sorted(c.patient_control_number for c in claims)
    assert claim_batch_progress(practice_id=office.practice.pk, batch_id=batch.pk)["sent"] == 3


def test_c16_a_retry_or_duplicate_delivery_never_sends_a_claim_twice(office: Office) -> None:
    # given: a batch whose first send reached the clearinghouse, but the worker died before
    # recording it (the batch is still "sending")
    claims = office.ready_claims(2)
    batch = claim_batch_create(office.practice.pk, [c.pk for c in claims], actor=office.biller)
    claim_batch_send(batch_id=batch.pk)
    first = ClaimBatch.objects.get(pk=batch.pk)
    ClaimBatch.objects.filter(pk=batch.pk).update(status="sending", sent_at=None)
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(status="queued")

    # when: the relay's resend, then a duplicate delivery
    assert claim_batch_send(batch_id=batch.pk) == "sent"
    assert claim_batch_send(batch_id=batch.pk) == "already sent"

    # then: the same file under the same name and ISA13, one submission at the clearinghouse
    again = ClaimBatch.objects.get(pk=batch.pk)
    assert (again.x12, again.file_name, again.interchange_control_number) == (
        first.x12,
        first.file_name,
        first.interchange_control_number,
    )
    assert office.clearinghouse.accepted_log() == [first.file_name]
    assert again.attempts == 2


def test_each_batch_gets_its_own_interchange_control_number(office: Office) -> None:
    numbers = set()
    for _ in range(3):
        (claim,) = office.ready_claims(1)
        batch = claim_batch_create(office.practice.pk, [claim.pk], actor=office.biller)
        claim_batch_send(batch_id=batch.pk)
        batch.refresh_from_db()
        numbers.add(batch.interchange_control_number)
    assert len(numbers) == 3
    assert len(office.clearinghouse.accepted_log()) == 3


@pytest.mark.parametrize("failure", ["transient", "permanent"])
def test_a_failing_clearinghouse_is_recorded_and_gives_up_after_five_attempts(
    office: Office, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    # given: a clearinghouse that always fails
    monkeypatch.setenv("FAKE_CLEARINGHOUSE_FAIL", failure)
    claims = office.ready_claims(2)
    batch = claim_batch_create(office.practice.pk, [c.pk for c in claims], actor=office.biller)

    # when: five attempts
    for attempt in range(1, 6):
        BackgroundJob.objects.filter(key=send_job_key(batch.pk)).update(attempts=attempt)
        with pytest.raises(Exception, match="test"):
            claim_batch_send(batch_id=batch.pk)
        batch.refresh_from_db()
        assert batch.status == ("needs_attention" if attempt == 5 else "sending")

    # then: visible with the error; the claims stay queued, nothing reached the clearinghouse
    assert batch.attempts == 5
    assert "(test)" in batch.last_error
    assert _statuses(claims) == {"queued"}
    assert office.clearinghouse.accepted_log() == []
    # and a staff retry after the fix sends the same file once
    monkeypatch.delenv("FAKE_CLEARINGHOUSE_FAIL")
    assert claim_batch_send(batch_id=batch.pk) == "sent"
    assert _statuses(claims) == {"submitted"}
    assert office.clearinghouse.accepted_log() == [ClaimBatch.objects.get(pk=batch.pk).file_name]
