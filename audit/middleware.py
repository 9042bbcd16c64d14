"""Routes whose id no row can have answer 404 before any view runs, and the attempt is audited.

Without this, an id beyond the signed 64-bit range reached the view, and failed while the
"denied" audit event was written: a 500, and the attempt unlogged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from rest_framework.views import APIView

from audit.domain.route_ids import OUT_OF_RANGE_REASON, out_of_range_id
from audit.models import AuditEvent
from audit.services import audit_event_record
from core.audit_context import AuditContext

API_NOT_FOUND = {"message": "Not found.", "code": "not_found", "extra": {}}


class OutOfRangeIdMiddleware:
    """Runs after `CurrentPracticeMiddleware` (it reads `request.practice_access`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        found = out_of_range_id(view_kwargs, method=request.method or "GET")
        if found is None:
            return None
        access = getattr(request, "practice_access", None)
        audit_event_record(
            context=access.audit if access is not None else AuditContext.from_request(request),
            action=found.action,
            category=found.category,
            practice_id=access.practice_id if access is not None else None,
            patient_id=found.patient_id,
            object_type=found.object_type,
            object_id=found.object_id,
            outcome=AuditEvent.Outcome.DENIED,
            detail=OUT_OF_RANGE_REASON,
        )
        view_class = getattr(view_func, "cls", None)
        if isinstance(view_class, type) and issubclass(view_class, APIView):
            return JsonResponse(API_NOT_FOUND, status=404)
        raise Http404
