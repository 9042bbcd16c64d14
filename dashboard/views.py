"""Work that no single app owns: each role's home page (its worklist) and the background jobs
that need attention.

A job that failed five times stops and waits here with its error; one waiting for its next
attempt, or overdue (no worker has run it), shows too. Billers and practice admins retry them.
Thin: the selectors and the service are core.jobs'; this only checks access and renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.access import screen_access
from accounts.domain.roles import Capability
from core import jobs
from core.views import app_errors
from dashboard.selectors import home_sections
from practice.selectors import practice_zone

LIST_LIMIT = 200


@login_required
@require_GET
@app_errors
def job_list(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    needing = jobs.jobs_needing_attention(practice_id=access.practice_id)
    waiting = jobs.jobs_waiting(practice_id=access.practice_id)
    context = {
        "needing": list(needing[:LIST_LIMIT]),
        "needing_count": needing.count(),
        "waiting": list(waiting[:LIST_LIMIT]),
        "waiting_count": waiting.count(),
        "limit": LIST_LIMIT,
        "can_retry": access.can(Capability.BILLING_EDIT),
        "zone": practice_zone(practice_id=access.practice_id),
    }
    return render(request, "dashboard/jobs.html", context)


@login_required
@require_POST
@app_errors(conflict_redirect="dashboard:jobs")
def job_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_EDIT)
    job = jobs.job_retry(practice_id=access.practice_id, job_id=job_id)
    messages.success(request, f"Sent again: {job.label}.")
    return redirect("dashboard:jobs")


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The landing page after sign-in: the user's worklist, one section per kind of work their
    capabilities allow (dashboard.selectors). A user in no practice sees how to get one."""
    access = getattr(request, "practice_access", None)
    sections = home_sections(access=access) if access is not None else []
    return render(request, "dashboard/home.html", {"sections": sections})
