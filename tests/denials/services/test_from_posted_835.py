"""From a real 835 to a denial: remittance posting (`era_post`) stores the ERA and enqueues
"denials.tasks.denials_open_for_era"; the job opens the CO-197 line as an authorization denial
with the remark in words, never written off (R4), and the unmatched claim opens nothing."""

from __future__ import annotations

from typing import Any

import pytest

from core.models import BackgroundJob
from denials import services
from denials.models import Denial
from ledger.models import LedgerEntry
from practice.access import practice_access_for
from remittance.services.posting import era_post
from tests.edi.samples_835 import DENIED, envelope
from tests.remittance.world import World as RemittanceWorld

pytestmark = pytest.mark.django_db


def _sum(**filters: Any) -> int:
    return sum(LedgerEntry.objects.filter(**filters).values_list("amount_cents", flat=True))


def test_a_posted_835_opens_its_denials_through_the_outbox_job(practice: Any, make_member: Any) -> None:
    world = RemittanceWorld(practice)
    world.sample_claims()
    outcome = era_post(practice_id=practice.pk, raw=envelope(DENIED).encode())
    (era_id,) = outcome.era_ids
    job = BackgroundJob.objects.get(task_name="denials.tasks.denials_open_for_era")
    assert job.kwargs == {"era_file_id": era_id}
    assert services.denials_open_for_era(**job.kwargs) == 1
    assert services.denials_open_for_era(**job.kwargs) == 0  # the job run again: nothing twice
    denial = Denial.objects.get()
    assert denial.claim_id == world.claims["PCN400"].pk
    assert denial.claim_line_id == world.lines["L9"].pk
    assert (denial.group, denial.carc, denial.rarcs, denial.amount_cents) == ("CO", "197", ["M62"], 20000)
    assert (denial.category, denial.recommended_action, denial.status) == (
        "authorization",
        "obtain_retro_auth",
        "open",
    )
    assert denial.era_line is not None
    # R4: the ledger parks the denied money for a decision; nothing is written off
    assert not LedgerEntry.objects.filter(kind="write_off").exists()
    line = {"claim_line_id": denial.claim_line_id}
    assert _sum(account="denied", **line) == 20000
    # a person writes it off, with the permission and a reason: the denied A/R leaves the ledger
    biller = practice_access_for(user=make_member("biller", practice), practice_id=practice.pk)
    assert biller is not None
    services.denial_write_off(access=biller, denial_id=denial.pk, reason="Retro-authorization refused")
    assert _sum(account="denied", **line) == 0
    entry = LedgerEntry.objects.get(kind="write_off")
    assert (entry.amount_cents, entry.memo, entry.actor_id) == (
        -20000,
        "Retro-authorization refused",
        biller.user_id,
    )
    assert _sum(account="patient", **line) == 0  # D6: never the patient's
