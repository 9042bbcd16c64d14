"""The scrubber's verdict stored on a charge set, and a biller's "scrub again"."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.access import PracticeAccess
from claims import lock_objects, selectors
from claims.domain.capture_plan import supervisor_billing
from claims.domain.scrubber import scrub
from claims.domain.status import status_after_scrub
from claims.models import ChargeEvent, ChargeSet
from claims.selectors.facts import ClaimSpec
from claims.services.common import audit_change, new_event, require_edit
from coding.domain.code_sets import CodeCatalog
from core.domain.problems import Problem, Severity, problem_as_dict
from core.errors import Conflict, NotFound


def scrub_counts(problems: list[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    return errors, len(problems) - errors


def store_scrub(
    charge_set: ChargeSet, problems: list[Problem], *, actor: PracticeAccess | None, at: datetime
) -> None:
    """Store the findings and the status they lead to (a conditional update) and its event."""
    errors, warnings = scrub_counts(problems)
    before = charge_set.status
    after = status_after_scrub(has_errors=errors > 0, reviewed=charge_set.reviewed_at is not None)
    updated = ChargeSet.objects.filter(pk=charge_set.pk, status=before).update(
        findings=[problem_as_dict(p) for p in problems],
        error_count=errors,
        warning_count=warnings,
        status=after.value,
        scrubbed_at=at,
        updated_at=at,
    )
    if updated != 1:
        raise Conflict("The charges changed while they were scrubbed; reload them.", code="charges_conflict")
    charge_set.status = after.value
    charge_set.error_count = errors
    charge_set.warning_count = warnings
    new_event(
        charge_set,
        kind=ChargeEvent.Kind.SCRUBBED,
        actor=actor,
        at=at,
        from_status=before,
        to_status=after.value,
        detail=f"errors={errors};warnings={warnings}",
    ).save()


def refresh_people(charge_set: ChargeSet, *, codes: CodeCatalog | None = None) -> ClaimSpec:
    """Read the set's claim facts again and decide again who the claim names besides the
    performer: the payer's rules, the codes or the supervision records may have changed since the
    charges were captured (a supervisor decided at capture is not kept when it no longer
    applies, and one missing then is found now). Saves a changed supervisor; returns the facts
    the scrubber runs on."""
    lines = [row for _pk, row in selectors.charge_rows(charge_set_id=charge_set.pk)]
    spec = selectors.stored_claim_spec(charge_set=charge_set, lines=lines, codes=codes)
    if charge_set.self_pay or charge_set.payer_id is None:
        return spec
    note = spec.note
    people = supervisor_billing(
        spec.policy,
        insured=True,
        credential=note.author_credential,
        codes=[row.code for row in lines if row.units > 0],
        supervisor_id=note.supervisor_id if note.supervisor_id is not None else spec.supervisor_on_file,
    )
    if (charge_set.supervising_provider_id, charge_set.supervisor_billing) != (
        people.supervising_id,
        people.supervisor_billing,
    ):
        charge_set.supervising_provider_id = people.supervising_id
        charge_set.supervisor_billing = people.supervisor_billing
        charge_set.save(update_fields=["supervising_provider", "supervisor_billing", "updated_at"])
    return replace(spec, supervising_id=people.supervising_id)


def scrub_stored(
    charge_set: ChargeSet, *, actor: PracticeAccess | None, at: datetime, spec: ClaimSpec | None = None
) -> list[Problem]:
    """Run the scrubber on the stored charges (facts read fresh, and the supervisor decided
    again, unless `spec` is given)."""
    if spec is None:
        spec = refresh_people(charge_set)
    problems = scrub(selectors.claim_to_be(spec))
    store_scrub(charge_set, problems, actor=actor, at=at)
    return problems


def charge_set_scrub(*, access: PracticeAccess, charge_set_id: int) -> ChargeSet:
    """Re-run the scrubber (after the coverage, an authorization or a licence was fixed)."""
    require_edit(access, object_id=charge_set_id)
    now = timezone.now()
    with transaction.atomic(durable=True):
        charge_set = lock_objects.lock_charge_set(practice_id=access.practice_id, charge_set_id=charge_set_id)
        if charge_set is None:
            raise NotFound()
        scrub_stored(charge_set, actor=access, at=now)
        audit_change(access, charge_set, detail=f"scrubbed;errors={charge_set.error_count}")
    return selectors.charge_set_after_change(charge_set_id=charge_set_id)
