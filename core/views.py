"""Helpers for server-rendered views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


def add_errors_to_form(form: forms.Form, error: ValidationFailed) -> None:
    """Show a service's ValidationFailed on the form: by field where the field exists."""
    for field, texts in error.field_errors.items():
        target = field if field in form.fields else None
        for message in texts:
            form.add_error(target, message)
    if not error.field_errors:
        form.add_error(None, error.message)


def favicon(request: HttpRequest) -> HttpResponse:
    """`/favicon.ico`, which browsers ask for on their own: the static SVG icon."""
    return redirect(static("favicon.svg"))


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for the container health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def app_errors(
    view: Callable[..., HttpResponse] | None = None, *, conflict_redirect: str | None = None
) -> Any:
    """Decorate a screen: our NotFound/PermissionDenied become Django's 404/403.

    With `conflict_redirect` (a URL name), a lost race (Conflict) goes back to the page the user
    came from (same host only, else that URL) with the message, instead of an error page.
    Use as `@app_errors` or `@app_errors(conflict_redirect="scheduling:day")`.
    """

    def decorate(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return func(request, *args, **kwargs)
            except NotFound as error:
                raise Http404 from error
            except PermissionDenied as error:
                raise DjangoPermissionDenied from error
            except Conflict as error:
                if conflict_redirect is None:
                    raise
                messages.error(request, error.message)
                back = request.META.get("HTTP_REFERER", "")
                if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                    back = reverse(conflict_redirect)
                return redirect(back)

        return wrapper

    return decorate(view) if view is not None else decorate
