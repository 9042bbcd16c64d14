"""835s the clearinghouse side collected (`claims.InboundFile`, kind "835"): posted through the
same `era_post`, once per inbound file."""

from __future__ import annotations

from django.db import transaction

from claims.models import InboundFile, InboundFileStatus
from remittance.models import EraFile, EraSource
from remittance.services.posting import era_post


def era_post_inbound_file(*, inbound_file_id: int) -> str:
    """Post the inbound 835 (idempotent: a file already posted is skipped)."""
    inbound = InboundFile.objects.filter(pk=inbound_file_id, kind="835").first()
    if inbound is None:
        return "missing"
    if EraFile.objects.filter(inbound_file_id=inbound_file_id).exists():
        return "skipped"
    outcome = era_post(
        practice_id=inbound.practice_id,
        raw=inbound.text.encode("utf-8"),
        source=EraSource.CLEARINGHOUSE,
        name=inbound.name,
        inbound_file_id=inbound.pk,
    )
    status = InboundFileStatus.FAILED if outcome.rejected else InboundFileStatus.PROCESSED
    error = (
        "; ".join(e["message"] for s in outcome.summaries for e in s["errors"])[:2000]
        if outcome.rejected
        else ""
    )
    with transaction.atomic():
        InboundFile.objects.filter(pk=inbound.pk).update(status=status, error=error)
    return str(status)
