"""The claims tables' own rules, enforced by PostgreSQL: valid statuses, one patient control
number per practice (pitfall C6), unique line control numbers (pitfall C5), versions linked,
corrections carrying the payer's claim number, one claim per batch, append-only events."""

from __future__ import annotations

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone

from claims.models import ClaimBatch, ClaimBatchItem, ClaimEvent, InboundFile
from tests.factories.claims import ClaimFactory, ClaimLineFactory

pytestmark = pytest.mark.django_db


def _refused(**kwargs: object) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimFactory(**kwargs)


def test_status_must_be_a_claim_status():
    _refused(status="lost")


def test_c6_patient_control_number_once_per_practice_and_at_most_17_characters():
    claim = ClaimFactory(patient_control_number="PCN0001")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimFactory(patient_control_number="PCN0001", coverage__patient__practice=claim.practice)
    # Another practice may use the same number.
    ClaimFactory(patient_control_number="PCN0001")

    with pytest.raises(DataError), transaction.atomic():
        ClaimFactory(patient_control_number="X" * 18)


def test_c5_line_control_numbers_are_unique_across_claims():
    line = ClaimLineFactory(line_control_number="LINE1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLineFactory(line_control_number="LINE1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLineFactory(claim=line.claim, line_number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLineFactory(claim=line.claim, line_number=51)


def test_a_later_version_names_what_it_replaces_and_a_correction_carries_the_payer_number():
    first = ClaimFactory()
    _refused(version=2)
    _refused(
        version=2,
        replaces=first,
        original=first,
        frequency="7",
        coverage=first.coverage,
        payer_claim_number="",
    )
    second = ClaimFactory(
        version=2,
        replaces=first,
        original=first,
        frequency="7",
        coverage=first.coverage,
        payer_claim_number="PAY1",
    )
    assert second.replaces == first
    _refused(version=2, replaces=first, original=first, coverage=first.coverage)  # version 2 twice


def test_a_secondary_names_its_primary():
    _refused(responsibility="S")


def test_a_claim_is_once_in_a_batch_and_isa13_once_per_submitter():
    claim = ClaimFactory()
    batch = ClaimBatch.objects.create(practice=claim.practice, interchange_control_number=7)
    ClaimBatchItem.objects.create(batch=batch, claim=claim)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimBatchItem.objects.create(batch=batch, claim=claim)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimBatch.objects.create(practice=claim.practice, interchange_control_number=7)


def test_the_same_inbound_file_is_one_row():
    claim = ClaimFactory()
    InboundFile.objects.create(
        practice=claim.practice, kind="999", text="ISA", sha256="a" * 64, received_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        InboundFile.objects.create(
            practice=claim.practice, kind="999", text="ISA", sha256="a" * 64, received_at=timezone.now()
        )


def test_claim_events_are_append_only_in_the_model_and_the_database():
    claim = ClaimFactory()
    event = ClaimEvent.objects.create(claim=claim, kind="created", occurred_at=timezone.now())
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        ClaimEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(TypeError):
        ClaimEvent.objects.filter(pk=event.pk).delete()
    for statement in (
        "UPDATE claims_claimevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM claims_claimevent WHERE id = %s",
    ):
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
