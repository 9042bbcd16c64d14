"""Reads of charges for the screens and the API (scoped, audited), and claims' own look-ups.

* Screens and the API read through `charge_list`, `charge_set_get` and `charge_set_for_note`:
  scoped to the reader's practice, BILLING_VIEW required, one audit event per read (category
  billing); another practice's charges are NotFound.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet, Sum

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.models import AuditEvent
from claims.domain.findings import hold_reason
from claims.models import Charge, ChargeEvent, ChargeSet, ChargeStatus
from claims.selectors import audited
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.pagination import page_bounds
from payers.selectors import payer_choices as payers_of_practice
from payers.selectors import payer_in_practice
from practice.selectors import practice_today
from practice.selectors import provider_choices as providers_of_practice

CHARGE_OBJECT_TYPE = "charge_set"
LIST_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def charge_set_id_for_note(*, note_id: int) -> int | None:
    return ChargeSet.objects.filter(note_id=note_id).values_list("pk", flat=True).first()


def charge_set_id_of_line(*, practice_id: int, charge_id: int) -> int:
    """The charge set of line `charge_id` in the practice (NotFound otherwise; no audit: the
    service that acts on it audits)."""
    found = (
        Charge.objects.filter(pk=charge_id, charge_set__practice_id=practice_id)
        .values_list("charge_set_id", flat=True)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


# ---------------------------------------------------------------------------------------------
# Reads for screens and the API (scoped, audited)


def _require(access: PracticeAccess, *, action: str, object_id: int | None = None) -> None:
    audited.require(access, action=action, object_type=CHARGE_OBJECT_TYPE, object_id=object_id)


@dataclass(frozen=True, slots=True)
class ChargeFilters:
    status: str = ""
    has_errors: bool | None = None
    payer_id: int | None = None
    self_pay: bool = False
    provider_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    reason: str = ""  # the code of the first error (why a set is on hold)
    filing_due_within: int | None = None  # days left to the payer's timely-filing deadline, at most


@dataclass(frozen=True)
class ChargePage:
    charge_sets: list[ChargeSet]  # note, patient, payer, rendering provider joined; lines prefetched
    total: int
    counts_by_status: dict[str, int]
    limit: int
    offset: int
    total_cents: int = 0  # the billed lines' fees over every matching set, not only this page

    @property
    def rows(self) -> list[ChargeSet]:
        return self.charge_sets


def _filtered(access: PracticeAccess, filters: ChargeFilters) -> tuple[QuerySet[ChargeSet], list[str]]:
    sets = ChargeSet.objects.filter(practice_id=access.practice_id)
    described: list[str] = []
    if filters.payer_id is not None:
        if not payer_in_practice(practice_id=access.practice_id, payer_pk=filters.payer_id):
            raise ValidationFailed(
                "Unknown payer.", field_errors={"payer": ["No such payer in this practice."]}
            )
        sets = sets.filter(payer_id=filters.payer_id)
        described.append(f"payer={filters.payer_id}")
    if filters.self_pay:
        sets = sets.filter(self_pay=True)
        described.append("self_pay")
    if filters.provider_id is not None:
        sets = sets.filter(rendering_provider_id=filters.provider_id)
        described.append(f"provider={filters.provider_id}")
    if filters.date_from is not None:
        sets = sets.filter(date_of_service__gte=filters.date_from)
        described.append(f"from={filters.date_from}")
    if filters.date_to is not None:
        sets = sets.filter(date_of_service__lte=filters.date_to)
        described.append(f"to={filters.date_to}")
    if filters.has_errors is not None:
        sets = sets.filter(error_count__gt=0) if filters.has_errors else sets.filter(error_count=0)
        described.append(f"has_errors={filters.has_errors}")
    if filters.filing_due_within is not None:
        today = practice_today(practice_id=access.practice_id)
        sets = sets.filter(_filing_due_by(sets, today + timedelta(days=filters.filing_due_within)))
        described.append(f"filing_due_within={filters.filing_due_within}")
    if filters.reason:
        # The first error is inside a JSON list: picked out here (one query of small rows),
        # the same rule as the list's "first finding", on SQLite and PostgreSQL alike.
        ids = [
            pk
            for pk, findings in sets.filter(error_count__gt=0).values_list("pk", "findings")
            if hold_reason(findings) == filters.reason
        ]
        sets = sets.filter(pk__in=ids)
        described.append(f"reason={filters.reason}"[:60])
    return sets, described


def _filing_due_by(sets: QuerySet[ChargeSet], last_day: date) -> Q:
    """Sets billed to a payer whose timely-filing deadline (date of service + the payer's days)
    falls on or before `last_day`: one condition per payer (a practice has a handful)."""
    condition = Q(pk__in=[])
    payers = (
        sets.filter(payer__isnull=False, self_pay=False)
        .order_by()
        .values_list("payer_id", "payer__timely_filing_days")
    )
    for payer_id, days in set(payers):
        condition |= Q(payer_id=payer_id, date_of_service__lte=last_day - timedelta(days=days))
    return condition & Q(self_pay=False) & ~Q(status=ChargeStatus.REVIEWED)


def charge_list(
    *,
    access: PracticeAccess,
    filters: ChargeFilters | None = None,
    limit: int = LIST_PAGE_SIZE,
    offset: int = 0,
) -> ChargePage:
    """The practice's charge sets, newest date of service first, with counts by status (over the
    other filters). One `list` audit event. Unknown payer: ValidationFailed."""
    _require(access, action=AuditEvent.Action.LIST)
    filters = filters or ChargeFilters()
    if filters.status and filters.status not in ChargeStatus.values:
        raise ValidationFailed("Unknown status.", field_errors={"status": ["Choose a charge status."]})
    sets, described = _filtered(access, filters)
    counts = audited.counts_by_status(sets, ChargeStatus.values)
    if filters.status:
        sets = sets.filter(status=filters.status)
        described.append(f"status={filters.status}")
    limit, offset = page_bounds(limit, offset, max_size=MAX_PAGE_SIZE)
    total = sets.count()
    total_cents = (
        Charge.objects.filter(charge_set__in=sets, units__gt=0).aggregate(total=Sum("fee_cents"))["total"]
        or 0
    )
    page = list(
        sets.select_related("patient", "payer", "rendering_provider")
        .prefetch_related(Prefetch("lines", queryset=Charge.objects.order_by("line_number")))
        .order_by("-date_of_service", "-pk")[offset : offset + limit]
    )
    audited.page_listed(access, object_type=CHARGE_OBJECT_TYPE, page=page, total=total, described=described)
    return ChargePage(
        charge_sets=page,
        total=total,
        counts_by_status=counts,
        limit=limit,
        offset=offset,
        total_cents=total_cents,
    )


def _detail(sets: QuerySet[ChargeSet]) -> QuerySet[ChargeSet]:
    return sets.select_related(
        "patient", "payer", "coverage", "rendering_provider", "supervising_provider", "note", "reviewed_by"
    ).prefetch_related(
        Prefetch("lines", queryset=Charge.objects.order_by("line_number")),
        Prefetch(
            "events",
            queryset=ChargeEvent.objects.select_related("actor", "charge").order_by("occurred_at", "pk"),
        ),
    )


def _found_or_denied(access: PracticeAccess, charge_set: ChargeSet | None, *, object_id: int) -> ChargeSet:
    return audited.found_or_denied(
        access,
        charge_set,
        action=AuditEvent.Action.VIEW,
        object_type=CHARGE_OBJECT_TYPE,
        object_id=object_id,
        detail=f"status={charge_set.status}" if charge_set is not None else "",
    )


def charge_set_get(*, access: PracticeAccess, charge_set_id: int) -> ChargeSet:
    """One note's charges with lines and history. One `view` audit event; NotFound elsewhere."""
    _require(access, action=AuditEvent.Action.VIEW, object_id=charge_set_id)
    found = _detail(ChargeSet.objects.filter(practice_id=access.practice_id, pk=charge_set_id)).first()
    return _found_or_denied(access, found, object_id=charge_set_id)


def charge_set_for_note(*, access: PracticeAccess, note_id: int) -> ChargeSet:
    """The charges of note `note_id` (NotFound when none were captured or another practice's)."""
    _require(access, action=AuditEvent.Action.VIEW)
    found = _detail(ChargeSet.objects.filter(practice_id=access.practice_id, note_id=note_id)).first()
    return _found_or_denied(access, found, object_id=note_id)


def charge_set_id_for_line(*, access: PracticeAccess, charge_id: int) -> int:
    """The charge set of line `charge_id` in the reader's practice (NotFound otherwise)."""
    _require(access, action=AuditEvent.Action.VIEW, object_id=charge_id)
    found = (
        Charge.objects.filter(pk=charge_id, charge_set__practice_id=access.practice_id)
        .values_list("charge_set_id", flat=True)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def charge_set_after_change(*, charge_set_id: int) -> ChargeSet:
    """The charges a service just changed (that service wrote the audit event)."""
    return _detail(ChargeSet.objects.filter(pk=charge_set_id)).get()


def payer_choices(*, access: PracticeAccess) -> list[tuple[int, str]]:
    """Payers of the practice (inactive ones too: older charges name them), for the filters."""
    return payers_of_practice(access=access, active_only=False)


def provider_choices(*, access: PracticeAccess) -> list[tuple[int, str]]:
    return providers_of_practice(access=access, active_only=False)


# ---------------------------------------------------------------------------------------------
# Counts for the home page (numbers and finding codes only, no patient: no audit event)


@dataclass(frozen=True, slots=True)
class ChargeWorklistCounts:
    on_hold: int
    on_hold_by_reason: list[tuple[str, int]]  # (first error's code, sets), most first
    ready: int  # no errors: waiting for a biller's review
    reviewed: int  # reviewed: ready to bill
    filing_due_soon: int  # not reviewed, timely-filing deadline within `within_days` days


def charge_worklist_counts(*, access: PracticeAccess, within_days: int) -> ChargeWorklistCounts:
    """The biller's numbers: four queries, whatever the number of charge sets."""
    if not access.can(Capability.BILLING_VIEW):
        raise PermissionDenied()
    sets = ChargeSet.objects.filter(practice_id=access.practice_id)
    by_status = audited.counts_by_status(sets, ChargeStatus.values)
    reasons: dict[str, int] = {}
    for findings in sets.filter(status=ChargeStatus.ON_HOLD).values_list("findings", flat=True):
        code = hold_reason(findings)
        reasons[code] = reasons.get(code, 0) + 1
    last_day = practice_today(practice_id=access.practice_id) + timedelta(days=within_days)
    return ChargeWorklistCounts(
        on_hold=by_status[ChargeStatus.ON_HOLD],
        on_hold_by_reason=sorted(reasons.items(), key=lambda item: (-item[1], item[0])),
        ready=by_status[ChargeStatus.READY],
        reviewed=by_status[ChargeStatus.REVIEWED],
        filing_due_soon=sets.filter(_filing_due_by(sets, last_day)).count(),
    )
