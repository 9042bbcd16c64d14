"""The practice's billing details and its locations (service facilities)."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from django.db import transaction

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from core.domain.problems import Problem
from practice import lock_objects, selectors
from practice.domain.rules import (
    location_details_normalized,
    location_problems,
    practice_details_normalized,
    practice_problems,
)
from practice.domain.types import (
    LocationDetails,
    PracticeDetails,
)
from practice.models import Location, Practice
from practice.services.common import assign_changed, given_values, model_full_clean, raise_if_problems

# --- the practice --------------------------------------------------------------------------------


def _practice_details(practice: Practice) -> PracticeDetails:
    return PracticeDetails(
        legal_name=practice.legal_name,
        tax_id=practice.tax_id,
        billing_npi=practice.billing_npi,
        taxonomy_code=practice.taxonomy_code,
        address_line1=practice.address_line1,
        address_line2=practice.address_line2,
        city=practice.city,
        state=practice.state,
        postal_code=practice.postal_code,
        phone=practice.phone,
        timezone=practice.timezone,
    )


def practice_update(
    *,
    access: PracticeAccess,
    legal_name: str | None = None,
    tax_id: str | None = None,
    billing_npi: str | None = None,
    taxonomy_code: str | None = None,
    address_line1: str | None = None,
    address_line2: str | None = None,
    city: str | None = None,
    state: str | None = None,
    postal_code: str | None = None,
    phone: str | None = None,
    timezone: str | None = None,
) -> Practice:
    """Change the current practice's billing details. Arguments left as None stay as they are."""
    access.require(Capability.PRACTICE_MANAGE)
    changes = given_values(
        legal_name=legal_name,
        tax_id=tax_id,
        billing_npi=billing_npi,
        taxonomy_code=taxonomy_code,
        address_line1=address_line1,
        address_line2=address_line2,
        city=city,
        state=state,
        postal_code=postal_code,
        phone=phone,
        timezone=timezone,
    )
    with transaction.atomic(durable=True):
        practice = lock_objects.practice_lock(practice_id=access.practice_id)
        details = practice_details_normalized(replace(_practice_details(practice), **changes))
        problems = practice_problems(details)
        if (
            not any(p.field == "billing_npi" for p in problems)
            and Practice.objects.exclude(pk=practice.pk).filter(billing_npi=details.billing_npi).exists()
        ):
            problems.append(
                Problem("billing_npi_taken", "Another practice already uses this billing NPI.", "billing_npi")
            )
        raise_if_problems(problems)
        changed = assign_changed(practice, asdict(details))
        model_full_clean(practice)
        if changed:
            practice.save(update_fields=[*changed, "updated_at"])
    return practice


# --- locations -------------------------------------------------------------------------------------


def _location_name_problems(*, practice_id: int, name: str, exclude_pk: int | None) -> list[Problem]:
    others = Location.objects.filter(practice_id=practice_id, name__iexact=name)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if name and others.exists():
        return [Problem("location_name_taken", "Another location already has this name.", "name")]
    return []


def location_create(
    *,
    access: PracticeAccess,
    name: str,
    address_line1: str,
    city: str,
    state: str,
    postal_code: str,
    address_line2: str = "",
    npi: str = "",
    default_place_of_service: str = "11",
) -> Location:
    access.require(Capability.PRACTICE_MANAGE)
    details = location_details_normalized(
        LocationDetails(
            name=name,
            address_line1=address_line1,
            address_line2=address_line2,
            city=city,
            state=state,
            postal_code=postal_code,
            npi=npi,
            default_place_of_service=default_place_of_service,
        )
    )
    with transaction.atomic(durable=True):
        lock_objects.practice_lock(practice_id=access.practice_id)  # serialises name checks
        problems = location_problems(details)
        problems += _location_name_problems(
            practice_id=access.practice_id, name=details.name, exclude_pk=None
        )
        raise_if_problems(problems)
        location = Location(practice_id=access.practice_id, **asdict(details))
        model_full_clean(location)
        location.save()
    return location


def location_update(
    *,
    access: PracticeAccess,
    location_id: int,
    name: str | None = None,
    address_line1: str | None = None,
    address_line2: str | None = None,
    city: str | None = None,
    state: str | None = None,
    postal_code: str | None = None,
    npi: str | None = None,
    default_place_of_service: str | None = None,
    is_active: bool | None = None,
) -> Location:
    access.require(Capability.PRACTICE_MANAGE)
    changes = given_values(
        name=name,
        address_line1=address_line1,
        address_line2=address_line2,
        city=city,
        state=state,
        postal_code=postal_code,
        npi=npi,
        default_place_of_service=default_place_of_service,
    )
    with transaction.atomic(durable=True):
        lock_objects.practice_lock(practice_id=access.practice_id)
        location = selectors.location_get(access=access, location_id=location_id)
        current = LocationDetails(
            name=location.name,
            address_line1=location.address_line1,
            address_line2=location.address_line2,
            city=location.city,
            state=location.state,
            postal_code=location.postal_code,
            npi=location.npi,
            default_place_of_service=location.default_place_of_service,
        )
        details = location_details_normalized(replace(current, **changes))
        problems = location_problems(details)
        problems += _location_name_problems(
            practice_id=access.practice_id, name=details.name, exclude_pk=location.pk
        )
        raise_if_problems(problems)
        values: dict[str, Any] = asdict(details)
        if is_active is not None:
            values["is_active"] = is_active
        changed = assign_changed(location, values)
        model_full_clean(location)
        if changed:
            location.save(update_fields=[*changed, "updated_at"])
    return location
