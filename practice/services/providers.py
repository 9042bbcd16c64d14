"""Adding and changing providers (NPI, credential, taxonomy)."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from django.db import transaction
from django.db.models import Q

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from accounts.models import Membership
from core.domain.problems import Problem
from core.errors import NotFound
from practice import lock_objects, selectors
from practice.domain.credentials import credential_can_supervise
from practice.domain.rules import (
    provider_details_normalized,
    provider_problems,
)
from practice.domain.types import (
    ProviderDetails,
)
from practice.models import Provider, Supervision
from practice.services.common import assign_changed, given_values, model_full_clean, raise_if_problems

# --- providers --------------------------------------------------------------------------------------


def _provider_npi_problems(*, practice_id: int, npi: str, exclude_pk: int | None) -> list[Problem]:
    if not npi:
        return []
    others = Provider.objects.filter(practice_id=practice_id, npi=npi)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        return [Problem("npi_taken", "Another provider in this practice has this NPI.", "npi")]
    return []


def _provider_user_problems(*, practice_id: int, user_id: int) -> list[Problem]:
    if not Membership.objects.filter(user_id=user_id, practice_id=practice_id, is_active=True).exists():
        return [Problem("user_not_member", "That user is not a member of this practice.", "user_id")]
    if Provider.objects.filter(practice_id=practice_id, user_id=user_id).exists():
        return [Problem("user_has_provider", "That user is already linked to a provider.", "user_id")]
    return []


def provider_create(
    *,
    access: PracticeAccess,
    first_name: str,
    last_name: str,
    credential: str,
    npi: str = "",
    taxonomy_code: str = "",
    user_id: int | None = None,
) -> Provider:
    """Add a provider. A non-empty NPI must pass the check digit; billing credentials need one."""
    access.require(Capability.PRACTICE_MANAGE)
    details = provider_details_normalized(
        ProviderDetails(
            first_name=first_name,
            last_name=last_name,
            npi=npi,
            taxonomy_code=taxonomy_code,
            credential=credential,
        )
    )
    with transaction.atomic(durable=True):
        lock_objects.practice_lock(practice_id=access.practice_id)  # serialises NPI/user checks
        problems = provider_problems(details)
        if not any(p.field == "npi" for p in problems):
            problems += _provider_npi_problems(
                practice_id=access.practice_id, npi=details.npi, exclude_pk=None
            )
        if user_id is not None:
            problems += _provider_user_problems(practice_id=access.practice_id, user_id=user_id)
        raise_if_problems(problems)
        provider = Provider(practice_id=access.practice_id, user_id=user_id, **asdict(details))
        model_full_clean(provider)
        provider.save()
    return provider


def provider_update(
    *,
    access: PracticeAccess,
    provider_id: int,
    first_name: str | None = None,
    last_name: str | None = None,
    npi: str | None = None,
    taxonomy_code: str | None = None,
    credential: str | None = None,
    is_active: bool | None = None,
) -> Provider:
    access.require(Capability.PRACTICE_MANAGE)
    changes = given_values(
        first_name=first_name,
        last_name=last_name,
        npi=npi,
        taxonomy_code=taxonomy_code,
        credential=credential,
    )
    with transaction.atomic(durable=True):
        lock_objects.practice_lock(practice_id=access.practice_id)
        provider = lock_objects.providers_lock(
            practice_id=access.practice_id, provider_ids=[provider_id]
        ).get(provider_id)
        if provider is None:
            raise NotFound()
        current = ProviderDetails(
            first_name=provider.first_name,
            last_name=provider.last_name,
            npi=provider.npi,
            taxonomy_code=provider.taxonomy_code,
            credential=provider.credential,
        )
        details = provider_details_normalized(replace(current, **changes))
        problems = provider_problems(details)
        if not any(p.field == "npi" for p in problems):
            problems += _provider_npi_problems(
                practice_id=access.practice_id, npi=details.npi, exclude_pk=provider.pk
            )
        if details.credential != provider.credential and not problems:
            today = selectors.practice_today(practice_id=access.practice_id)
            still_supervising = Supervision.objects.filter(supervisor=provider).filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=today)
            )
            if not credential_can_supervise(details.credential) and still_supervising.exists():
                problems.append(
                    Problem(
                        "credential_supervising",
                        "This provider supervises others; end those supervisions before changing "
                        "to a credential that cannot supervise.",
                        "credential",
                    )
                )
        raise_if_problems(problems)
        values: dict[str, Any] = asdict(details)
        if is_active is not None:
            values["is_active"] = is_active
        changed = assign_changed(provider, values)
        model_full_clean(provider)
        if changed:
            provider.save(update_fields=[*changed, "updated_at"])
    return provider
