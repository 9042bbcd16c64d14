"""Request guard: MFA before anything but sign-in pages (the current practice: practice.middleware)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

# Paths a signed-in user may reach before passing MFA.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/favicon.ico")


class MfaRequiredMiddleware:
    """Every human account passes TOTP before any other page (PHI or not)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]  # added by OTPMiddleware
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"message": "Two-factor verification is required.", "code": "mfa_required", "extra": {}},
                    status=403,
                )
            return redirect("accounts:mfa")
        return self.get_response(request)
