"""The compliance viewer: the practice's audit log, its CSV export, and "verify now".

Thin: check the capability, parse the filters, call one selector or service, render.
"""

from __future__ import annotations

import csv
from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.access import screen_access
from accounts.domain.roles import Capability
from audit import selectors, services
from audit.forms import AuditEventFilterForm
from core.directory import patient_ids_named
from core.pagination import PageWindow, pager


def _filters(form: AuditEventFilterForm, practice_id: int) -> selectors.AuditEventFilters:
    """The form's filters, with a patient name turned into the matching patients' ids."""
    filters = form.filters()
    text = form.cleaned_data.get("patient") or ""
    if text:
        filters = replace(filters, patient_ids=tuple(patient_ids_named(practice_id=practice_id, text=text)))
    return filters


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@never_cache
@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.AUDIT_VIEW)
    form = AuditEventFilterForm(request.GET)
    page = None
    if form.is_valid():
        page = selectors.audit_event_page(
            viewer=access, filters=_filters(form, access.practice_id), page=request.GET.get("page", 1)
        )
    query = _query_without_page(request)
    links = None
    if page is not None:
        window = PageWindow(number=page.number, size=selectors.EVENTS_PER_PAGE)
        links = pager(params=request.GET, window=window, total=page.total, shown=len(page.rows))
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": page,
            "pager": links,
            "query": query,
            "export_query": f"?{query}" if query else "",
            "verification": selectors.audit_verification_summary(),
            "practice_name": access.practice_name,
        },
        status=200 if form.is_valid() else 400,
    )


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


@never_cache
@login_required
@require_GET
def event_export(request: HttpRequest) -> HttpResponseBase:
    access = screen_access(request, Capability.AUDIT_VIEW)
    form = AuditEventFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponse("The filters are not valid.", status=400, content_type="text/plain")
    rows = selectors.audit_event_export_rows(viewer=access, filters=_filters(form, access.practice_id))
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="audit-events.csv"'
    return response


@login_required
@require_POST
def chain_verify(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.AUDIT_VIEW)
    services.audit_chain_verify_request(context=access.audit, practice_id=access.practice_id)
    messages.success(request, "Chain verification queued. Its result appears at the top when it has run.")
    return redirect("audit:event_list")
