"""What the charge and claim screens' reads share: the capability check (a refusal is an audited
`denied` event), counts per state, one page's `list` event, and one row's `view` event (or the
audited NotFound)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeVar

from django.db.models import Count, QuerySet

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from core.errors import NotFound, PermissionDenied


class _PatientRow(Protocol):
    @property
    def pk(self) -> Any: ...

    @property
    def patient_id(self) -> int: ...


Row = TypeVar("Row", bound=_PatientRow)


def require(
    access: PracticeAccess,
    *,
    action: str,
    object_type: str,
    object_id: int | None = None,
    capability: Capability = Capability.BILLING_VIEW,
) -> None:
    """PermissionDenied (audited) unless the reader has `capability`."""
    if access.can(capability):
        return
    _denied(access, action=action, object_type=object_type, object_id=object_id, reason="capability")
    raise PermissionDenied()


def _denied(
    access: PracticeAccess, *, action: str, object_type: str, object_id: int | None, reason: str
) -> None:
    audit_event_record(
        context=access.audit,
        action=action,
        category=Category.BILLING,
        practice_id=access.practice_id,
        object_type=object_type,
        object_id=object_id if object_id is not None else "",
        outcome=AuditEvent.Outcome.DENIED,
        detail=f"reason={reason}",
    )


def counts_by_status(rows: QuerySet[Any], statuses: Iterable[str]) -> dict[str, int]:
    """Rows per `status` (every status present, 0 when none): one query."""
    counts = dict.fromkeys(statuses, 0)
    for row in rows.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def page_listed(
    access: PracticeAccess, *, object_type: str, page: Sequence[_PatientRow], total: int, described: list[str]
) -> None:
    """The `list` event of one page of `total` matching rows (filters in `described`)."""
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.LIST,
        category=Category.BILLING,
        practice_id=access.practice_id,
        object_type=object_type,
        detail=";".join([f"results={len(page)}", f"total={total}", *described])[:200],
        shown_patient_ids=[row.patient_id for row in page],
    )


def found_or_denied(
    access: PracticeAccess, found: Row | None, *, action: str, object_type: str, object_id: int, detail: str
) -> Row:
    """`found`, with its `action` event (`detail`); None is NotFound, audited as denied."""
    if found is None:
        _denied(access, action=action, object_type=object_type, object_id=object_id, reason="not_accessible")
        raise NotFound()
    audit_event_record(
        context=access.audit,
        action=action,
        category=Category.BILLING,
        practice_id=access.practice_id,
        patient_id=found.patient_id,
        object_type=object_type,
        object_id=found.pk,
        detail=detail,
    )
    return found
