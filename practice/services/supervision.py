"""Who supervises whom: adding and ending supervision periods."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from core.errors import NotFound
from practice import lock_objects, selectors
from practice.domain.supervision import supervision_end_problems, supervision_problems
from practice.domain.types import (
    ProviderFacts,
    SupervisionPeriod,
)
from practice.models import Provider, Supervision
from practice.services.common import model_full_clean, raise_if_problems

# --- supervision --------------------------------------------------------------------------------------


def _facts(provider: Provider) -> ProviderFacts:
    return ProviderFacts(
        provider_id=provider.pk,
        practice_id=provider.practice_id,
        credential=provider.credential,
        is_active=provider.is_active,
    )


def supervision_add(
    *,
    access: PracticeAccess,
    supervisor_id: int,
    supervisee_id: int,
    starts_on: date,
    ends_on: date | None = None,
) -> Supervision:
    """Record that `supervisor_id` supervises `supervisee_id` from `starts_on` (to `ends_on`)."""
    access.require(Capability.PRACTICE_MANAGE)
    with transaction.atomic(durable=True):
        locked = lock_objects.providers_lock(
            practice_id=access.practice_id, provider_ids=sorted({supervisor_id, supervisee_id})
        )
        supervisor = locked.get(supervisor_id)
        supervisee = locked.get(supervisee_id)
        if supervisor is None or supervisee is None:
            raise NotFound()
        existing = selectors.supervision_periods_between(
            provider_a_id=supervisor.pk, provider_b_id=supervisee.pk
        )
        raise_if_problems(
            supervision_problems(
                supervisor=_facts(supervisor),
                supervisee=_facts(supervisee),
                starts_on=starts_on,
                ends_on=ends_on,
                existing=existing,
            )
        )
        supervision = Supervision(
            supervisor=supervisor, supervisee=supervisee, starts_on=starts_on, ends_on=ends_on
        )
        model_full_clean(supervision)
        supervision.save()
    return supervision


def supervision_end(*, access: PracticeAccess, supervision_id: int, ends_on: date) -> Supervision:
    """Close an open supervision on `ends_on` (inclusive)."""
    access.require(Capability.PRACTICE_MANAGE)
    with transaction.atomic(durable=True):
        supervision = lock_objects.supervision_lock(
            practice_id=access.practice_id, supervision_id=supervision_id
        )
        if supervision is None:
            raise NotFound()
        period = SupervisionPeriod(
            supervision_id=supervision.pk,
            supervisor_id=supervision.supervisor_id,
            supervisee_id=supervision.supervisee_id,
            starts_on=supervision.starts_on,
            ends_on=supervision.ends_on,
        )
        raise_if_problems(supervision_end_problems(period=period, ends_on=ends_on))
        supervision.ends_on = ends_on
        model_full_clean(supervision)
        supervision.save(update_fields=["ends_on", "updated_at"])
    return supervision
