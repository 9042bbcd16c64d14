"""Celery tasks for remittance: thin wrappers around one service each (durable jobs)."""

from __future__ import annotations

from core.tasks import durable_task
from remittance.services.adjudication import era_adjudications_record
from remittance.services.inbound import era_post_inbound_file as era_post_inbound_file_service

ERA_POST_INBOUND_FILE_TASK = "remittance.tasks.era_post_inbound_file"
ERA_ADJUDICATIONS_RECORD_TASK = "remittance.tasks.era_adjudications_record"


@durable_task(ERA_POST_INBOUND_FILE_TASK)
def era_post_inbound_file(inbound_file_id: int) -> str:
    """Queued by claims (by name) when the clearinghouse inbox holds an 835."""
    return era_post_inbound_file_service(inbound_file_id=inbound_file_id)


@durable_task(ERA_ADJUDICATIONS_RECORD_TASK)
def era_adjudications_record_task(era_file_id: int) -> int:
    """Queued by `era_post` after a posting: the claims side records the payer's decisions."""
    return era_adjudications_record(era_file_id=era_file_id)
