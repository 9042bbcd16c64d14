"""The provider-level items screen (R10, R11): forward balances and recoupments the payers carry
between payments, open ones per payer with their age, and the latest offsets with both ERAs.
BILLING_VIEW (billers, practice admins); closing an item settled outside the 835s needs
BILLING_EDIT (billers)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.access import screen_access
from accounts.domain.roles import Capability
from core.formatting import date_label
from core.money import format_cents
from core.views import app_errors
from practice.selectors import practice_today, practice_zone
from remittance import selectors
from remittance.forms import ProviderItemCloseForm
from remittance.models import ProviderLevelItem
from remittance.services.provider_items import provider_item_close

REASON_LABELS = {
    "FB": "Forward balance",
    "WO": "Overpayment recovery",
    "72": "Authorized return",
}


@dataclass(frozen=True, slots=True)
class ItemRow:
    id: int
    payer: str
    reason: str
    reference: str
    amount: str
    direction: str
    opened: str
    age: str
    era_url: str
    era_trace: str
    offset_on: str = ""
    offset_url: str = ""
    offset_trace: str = ""
    closed: str = ""  # "<date> by <user>: <why>" when closed by hand


def _direction(cents: int) -> str:
    return "taken from that payment" if cents > 0 else "carried to a later payment"


@login_required
@require_GET
@app_errors
def provider_items(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    today = practice_today(practice_id=access.practice_id)
    zone = practice_zone(practice_id=access.practice_id)
    found = selectors.provider_items_for_user(access=access)

    def row(item: ProviderLevelItem) -> ItemRow:
        opened_on = timezone.localtime(item.created_at, zone).date()
        age = (today - opened_on).days
        offset = item.offset_by
        closed = ""
        if item.closed_at is not None:
            who = item.closed_by.username if item.closed_by is not None else "?"
            closed = f"{date_label(timezone.localtime(item.closed_at, zone).date(), weekday=False)} by {who}: {item.close_reason}"
        return ItemRow(
            id=item.pk,
            payer=item.payer_name or item.payer_id,
            reason=f"{item.reason} · {REASON_LABELS.get(item.reason, 'Provider-level adjustment')}",
            reference=item.reference or "—",
            amount=format_cents(item.amount_cents),
            direction=_direction(item.amount_cents),
            opened=date_label(opened_on, weekday=False),
            age=f"{age} day{'s' if age != 1 else ''}",
            era_url=reverse("remittance:era_detail", args=[item.era_id]),
            era_trace=item.era.trace_number,
            offset_on=date_label(timezone.localtime(item.offset_at, zone).date(), weekday=False)
            if item.offset_at
            else "",
            offset_url=reverse("remittance:era_detail", args=[offset.pk]) if offset else "",
            offset_trace=offset.trace_number if offset else "",
            closed=closed,
        )

    open_rows = [row(item) for item in found.open]
    payers: dict[str, list[ItemRow]] = {}
    for r in open_rows:
        payers.setdefault(r.payer, []).append(r)
    context = {
        "payers": [{"name": name, "rows": rows, "count": len(rows)} for name, rows in payers.items()],
        "open_count": len(open_rows),
        "offset_rows": [row(item) for item in found.offset],
        "can_edit": access.can(Capability.BILLING_EDIT),
    }
    return render(request, "remittance/provider_items.html", context)


@login_required
@require_POST
@app_errors(conflict_redirect="remittance:provider_items")
def provider_item_close_view(request: HttpRequest, item_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_EDIT)
    form = ProviderItemCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say how the item was settled.")
        return redirect("remittance:provider_items")
    provider_item_close(access=access, item_id=item_id, reason=form.cleaned_data["reason"])
    messages.success(request, "Closed.")
    return redirect("remittance:provider_items")
