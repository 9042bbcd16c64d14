"""Helpers for server-rendered views."""

from __future__ import annotations

from django import forms
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.errors import ValidationFailed


def add_errors_to_form(form: forms.Form, error: ValidationFailed) -> None:
    """Show a service's ValidationFailed on the form: by field where the field exists."""
    for field, messages in error.field_errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
    if not error.field_errors:
        form.add_error(None, error.message)


def home(request: HttpRequest) -> HttpResponse:
    """The landing page after sign-in: who you are, where, and where to go next."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return render(request, "core/home.html", {})


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for the container health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
