"""What every note screen shares: the access check, error handling, small helpers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from clinical_notes.domain.transitions import EDITABLE_STATES, NoteState
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

ViewFunc = Callable[..., HttpResponse]


def access_for(request: HttpRequest, *capabilities: Capability) -> PracticeAccess:
    """The request's access if it holds one of `capabilities` (403 otherwise)."""
    access: PracticeAccess | None = getattr(request, "practice_access", None)
    if access is None or not any(access.can(c) for c in capabilities):
        raise DjangoPermissionDenied
    return access


def safe_next(request: HttpRequest, candidate: str, fallback: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return fallback


def app_errors(view: ViewFunc) -> ViewFunc:
    """NotFound → 404, PermissionDenied → 403; a lost race (Conflict) goes back with the message."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404 from error
        except PermissionDenied as error:
            raise DjangoPermissionDenied from error
        except Conflict as error:
            messages.error(request, error.message)
            note_id = kwargs.get("note_id")
            fallback = (
                reverse("clinical_notes:detail", args=[note_id])
                if note_id
                else reverse("clinical_notes:my_day")
            )
            return redirect(safe_next(request, request.META.get("HTTP_REFERER", ""), fallback))

    return wrapper


def error_problems(error: ValidationFailed) -> list[dict[str, str]]:
    problems = error.extra.get("problems")
    if problems:
        return [p for p in problems if p.get("severity") == "error"] or list(problems)
    return [
        {"code": "invalid", "message": message, "field": name, "severity": "error", "fix_hint": ""}
        for name, messages_ in error.field_errors.items()
        for message in messages_
    ] or [{"code": "invalid", "message": error.message, "field": "", "severity": "error", "fix_hint": ""}]


def is_editable_by(access: PracticeAccess, note: Any) -> bool:
    return (
        access.provider_id is not None
        and note.author_id == access.provider_id
        and NoteState(note.status) in EDITABLE_STATES
    )


def flat_messages(error: ValidationFailed) -> list[str]:
    return [m for messages_ in error.field_errors.values() for m in messages_] or [error.message]
