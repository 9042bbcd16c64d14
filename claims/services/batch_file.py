"""The 837P file of a set of claims: the typed claims from `claims.selectors.x837`, a fresh
ISA13/GS06 from the database counter (ST02 counts up from 0001 inside the file), and
`edi.x837p.build_837p`.

A claim the builder cannot carry is left out with its reason (pitfall C11: the rest still go,
and no empty or placeholder segment is ever written); the caller decides what to do with it.
A batch's file is built once (`claim_batch_file`): a retry re-sends the same text with the
same ISA13, a new file never reuses one (pitfall C16).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from claims.models import ClaimBatch
from claims.selectors.cob import claims_cob, with_cob
from claims.selectors.x837 import (
    RECEIVER_ID,
    RECEIVER_NAME,
    Parties,
    claim_837,
    claim_records_for_837,
    submitter_id,
)
from claims.services.numbers import interchange_control_number
from core.errors import NotFound, ValidationFailed
from core.memory import gc_paused
from edi.x270 import Envelope
from edi.x837p import Batch, ClaimDataError, Party, build_837p
from edi.x837p import Claim as Claim837


@dataclass(frozen=True, slots=True)
class Built837:
    text: str
    interchange_control_number: int
    claim_ids: tuple[int, ...]
    total_cents: int
    excluded: tuple[tuple[int, str], ...]  # (claim id, why) left out

    @property
    def claim_count(self) -> int:
        return len(self.claim_ids)


def _submitter(claims: Sequence[Any]) -> Party:
    practice = claims[0].practice
    digits = "".join(ch for ch in practice.phone if ch.isdigit())
    phone = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
    return Party(
        name=practice.legal_name.upper(),
        identifier=submitter_id(practice.pk),
        contact_name="BILLING OFFICE",
        contact_phone=phone,
    )


_CLAIM_INDEX = re.compile(r"^claims\[(\d+)\]")


def build_837_text(
    claims: Sequence[Any],
    *,
    control: int,
    created: datetime,
    usage: str = "T",
) -> tuple[str, list[Any], list[tuple[int, str]]]:
    """The file for the claims (records of `claim_records_for_837`) the builder can carry, and the
    others with the reason. The builder checks every claim before writing anything; a claim it
    refuses is taken out and the file built again (one pass when all are fine)."""
    kept = list(claims)
    cobs = claims_cob(kept)  # secondary/tertiary claims: the earlier payers' loops (2320/2330/2430)
    parties: Parties = {}
    typed: list[Claim837] = [with_cob(claim_837(claim, parties=parties), claim, cobs) for claim in kept]
    excluded: list[tuple[int, str]] = []
    if not kept:
        return "", [], excluded
    practice_id = kept[0].practice_id
    envelope = Envelope(
        sender_id=submitter_id(practice_id),
        receiver_id=RECEIVER_ID,
        interchange_control_number=control,
        group_control_number=control,
        created=created,
        usage=usage,
    )
    submitter = _submitter(kept)
    while typed:
        batch = Batch(
            submitter=submitter,
            receiver=Party(name=RECEIVER_NAME, identifier=RECEIVER_ID),
            claims=tuple(typed),
            reference=f"B{control:09d}",
        )
        try:
            return build_837p(batch, envelope), kept, excluded
        except ClaimDataError as failure:
            found = _CLAIM_INDEX.match(failure.field)
            if found is None:  # the file's own data (the practice as submitter)
                raise ValidationFailed(
                    f"The file cannot be written: {failure}. Record the practice's phone number and name."
                ) from None
            index = int(found.group(1))
            claim = kept.pop(index)
            typed.pop(index)
            reason = str(failure).removeprefix(f"claims[{index}].")
            excluded.append((claim.pk, f"{claim.patient_control_number}: claim.{reason}"))
    return "", [], excluded


def claims_837_file(
    claim_ids: Sequence[int], *, practice_id: int, usage: str = "T", created: datetime | None = None
) -> Built837:
    """One 837P interchange for the practice's claims `claim_ids` (in that order), with a new
    ISA13 from the counter. Nothing is stored or sent."""
    with gc_paused():  # the records are gone when `_file` returns: the collector has little to walk
        return _file(claim_ids, practice_id=practice_id, usage=usage, created=created)


def _file(claim_ids: Sequence[int], *, practice_id: int, usage: str, created: datetime | None) -> Built837:
    claims = [claim for claim in claim_records_for_837(claim_ids) if claim.practice_id == practice_id]
    if not claims:
        raise ValidationFailed("No claims of this practice to put in a file.")
    control = interchange_control_number()
    moment = created or timezone.localtime().replace(tzinfo=None)
    text, kept, excluded = build_837_text(claims, control=control, created=moment, usage=usage)
    return Built837(
        text=text,
        interchange_control_number=control,
        claim_ids=tuple(claim.pk for claim in kept),
        total_cents=sum(claim.total_cents for claim in kept),
        excluded=tuple(excluded),
    )


def claim_batch_file(batch_id: int, *, usage: str = "T") -> ClaimBatch:
    """Build the batch's file once (ISA13 from the counter, the text stored on the batch);
    called again, it returns the batch as it is: a re-send carries the same bytes and ISA13."""
    with transaction.atomic():
        batch = ClaimBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None:
            raise NotFound()
        if batch.x12:
            return batch
        claim_ids = list(batch.items.order_by("pk").values_list("claim_id", flat=True))
        built = claims_837_file(claim_ids, practice_id=batch.practice_id, usage=usage)
        if built.excluded:
            raise ValidationFailed(
                "Some claims of the batch cannot be written: "
                + "; ".join(reason for _pk, reason in built.excluded[:5])
            )
        batch.x12 = built.text
        batch.interchange_control_number = built.interchange_control_number
        batch.file_name = f"837P-{submitter_id(batch.practice_id)}-{built.interchange_control_number:09d}.x12"
        batch.claim_count = built.claim_count
        batch.total_cents = built.total_cents
        batch.save(
            update_fields=[
                "x12",
                "interchange_control_number",
                "file_name",
                "claim_count",
                "total_cents",
                "updated_at",
            ]
        )
        return batch
