"""The practice's fee schedule (billed fees) and its payers' contracted (allowed) amounts.

`fee_schedule_entry_set` and `contracted_rate_set` change one row; `fees_import` loads a CSV file
of either kind in one transaction: every line valid and saved, or nothing saved and every bad
line named (`claims.domain.fee_csv`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import cast

from django.db import transaction

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from claims import selectors
from claims.domain.capture import modifiers_key
from claims.domain.fee_csv import FeeRow, parse_fee_csv
from claims.models import ContractedRate, FeeScheduleEntry
from claims.services.common import raise_problems
from coding.domain.types import CodeKind
from core.domain.problems import Problem
from core.errors import PermissionDenied
from payers.selectors import payer_in_practice


class FeeKind(StrEnum):
    BILLED = "billed"  # the practice's fee schedule
    ALLOWED = "allowed"  # the payer's contracted amount


def _require_fee_edit(access: PracticeAccess) -> None:
    if not (access.can(Capability.BILLING_EDIT) or access.can(Capability.PRACTICE_MANAGE)):
        raise PermissionDenied()


def _code_problem(code: str, on: date, *, line: str = "") -> Problem | None:
    info = selectors.catalog().lookup(code, on=on)
    if info is None or info.kind not in (CodeKind.CPT, CodeKind.HCPCS):
        return Problem(
            "fee_code_unknown", f"{line}{code or 'The code'} is not a CPT/HCPCS code on {on}.", "code"
        )
    return None


def _check(
    *,
    access: PracticeAccess,
    kind: FeeKind,
    payer_id: int | None,
    code: str,
    amount_cents: int,
    effective_from: date,
    effective_to: date | None,
) -> list[Problem]:
    problems: list[Problem] = []
    if kind is FeeKind.ALLOWED and payer_id is None:
        problems.append(Problem("fee_payer_required", "A contracted amount needs its payer.", "payer"))
    if payer_id is not None and not payer_in_practice(practice_id=access.practice_id, payer_pk=payer_id):
        problems.append(Problem("fee_payer_unknown", "No such payer in this practice.", "payer"))
    code_problem = _code_problem(code, effective_from)
    if code_problem is not None:
        problems.append(code_problem)
    if amount_cents < 0:
        problems.append(Problem("fee_amount_negative", "A fee cannot be negative.", "amount_cents"))
    if effective_to is not None and effective_to < effective_from:
        problems.append(
            Problem("fee_dates_order", "The end date cannot be before the start date.", "effective_to")
        )
    return problems


def _upsert(
    *,
    access: PracticeAccess,
    kind: FeeKind,
    payer_id: int | None,
    code: str,
    key: str,
    amount_cents: int,
    effective_from: date,
    effective_to: date | None,
) -> tuple[FeeScheduleEntry | ContractedRate, bool]:
    """Insert or update one row (inside the caller's transaction); True when it changed."""
    model: type[FeeScheduleEntry] | type[ContractedRate] = (
        FeeScheduleEntry if kind is FeeKind.BILLED else ContractedRate
    )
    payer_lookup: dict[str, object] = (
        {"payer_id": payer_id} if payer_id is not None else {"payer__isnull": True}
    )
    entry = (
        model.objects.select_for_update()
        .filter(
            **payer_lookup,
            practice_id=access.practice_id,
            code=code,
            modifiers_key=key,
            effective_from=effective_from,
        )
        .first()
    )
    if entry is not None and (entry.amount_cents, entry.effective_to) == (amount_cents, effective_to):
        return entry, False  # already so: nothing to write, nothing to audit
    created = entry is None
    if entry is None:
        entry = model(  # type: ignore[misc]  # payer_id None only for the billed default schedule
            practice_id=access.practice_id,
            payer_id=payer_id,
            code=code,
            modifiers_key=key,
            effective_from=effective_from,
        )
    entry.amount_cents = amount_cents
    entry.effective_to = effective_to
    entry.full_clean()
    entry.save()
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        category=Category.BILLING,
        practice_id=access.practice_id,
        object_type="fee_schedule_entry" if kind is FeeKind.BILLED else "contracted_rate",
        object_id=entry.pk,
        detail=f"code={code};modifiers={key};cents={amount_cents}",
    )
    return entry, True


def _set(
    *,
    access: PracticeAccess,
    kind: FeeKind,
    code: str,
    amount_cents: int,
    effective_from: date,
    payer_id: int | None,
    modifiers: Sequence[str],
    effective_to: date | None,
) -> FeeScheduleEntry | ContractedRate:
    _require_fee_edit(access)
    code = code.strip().upper()
    problems = _check(
        access=access,
        kind=kind,
        payer_id=payer_id,
        code=code,
        amount_cents=amount_cents,
        effective_from=effective_from,
        effective_to=effective_to,
    )
    raise_problems(problems, message="The fee was not saved.")
    with transaction.atomic(durable=True):
        entry, _ = _upsert(
            access=access,
            kind=kind,
            payer_id=payer_id,
            code=code,
            key=modifiers_key(modifiers),
            amount_cents=amount_cents,
            effective_from=effective_from,
            effective_to=effective_to,
        )
    return entry


def fee_schedule_entry_set(
    *,
    access: PracticeAccess,
    code: str,
    amount_cents: int,
    effective_from: date,
    payer_id: int | None = None,
    modifiers: Sequence[str] = (),
    effective_to: date | None = None,
) -> FeeScheduleEntry:
    """Set the practice's fee for a code (and modifiers), for a payer or as the default (upsert on
    practice, payer, code, modifiers and start date). Unknown payer or code, a negative amount:
    ValidationFailed, nothing written."""
    entry = _set(
        access=access,
        kind=FeeKind.BILLED,
        code=code,
        amount_cents=amount_cents,
        effective_from=effective_from,
        payer_id=payer_id,
        modifiers=modifiers,
        effective_to=effective_to,
    )
    return cast(FeeScheduleEntry, entry)


def contracted_rate_set(
    *,
    access: PracticeAccess,
    payer_id: int,
    code: str,
    amount_cents: int,
    effective_from: date,
    modifiers: Sequence[str] = (),
    effective_to: date | None = None,
) -> ContractedRate:
    """Set a payer's contracted (allowed) amount for a code and modifiers (upsert as above)."""
    entry = _set(
        access=access,
        kind=FeeKind.ALLOWED,
        code=code,
        amount_cents=amount_cents,
        effective_from=effective_from,
        payer_id=payer_id,
        modifiers=modifiers,
        effective_to=effective_to,
    )
    return cast(ContractedRate, entry)


def fees_import(*, access: PracticeAccess, kind: FeeKind, payer_id: int | None, text: str) -> int:
    """Load a fee CSV (billed fees, for a payer or the default schedule; or a payer's allowed
    amounts). All or nothing: any bad line raises ValidationFailed listing every bad line by
    number, and nothing is saved. Returns how many rows were added or changed."""
    _require_fee_edit(access)
    rows, problems = parse_fee_csv(text)
    if not problems:
        problems = _check_rows(access=access, kind=kind, payer_id=payer_id, rows=rows)
    raise_problems(problems, message="Nothing was imported: fix the lines below and upload the file again.")
    changed = 0
    with transaction.atomic(durable=True):
        for row in rows:
            _, did = _upsert(
                access=access,
                kind=kind,
                payer_id=payer_id,
                code=row.code,
                key=row.modifiers_key,
                amount_cents=row.amount_cents,
                effective_from=row.effective_from,
                effective_to=row.effective_to,
            )
            changed += did
    return changed


def _check_rows(
    *, access: PracticeAccess, kind: FeeKind, payer_id: int | None, rows: Sequence[FeeRow]
) -> list[Problem]:
    problems = _check(
        access=access,
        kind=kind,
        payer_id=payer_id,
        code=rows[0].code,
        amount_cents=0,
        effective_from=rows[0].effective_from,
        effective_to=None,
    )
    problems = [p for p in problems if p.field == "payer"]  # the file-wide checks
    for row in rows:
        problem = _code_problem(row.code, row.effective_from, line=f"Line {row.line}: ")
        if problem is not None:
            problems.append(problem)
    return problems
