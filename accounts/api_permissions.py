"""DRF permission: a signed-in, MFA-verified member of the current practice."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.access import NO_PRACTICE_ACCESS


class IsVerifiedMember(BasePermission):
    message = NO_PRACTICE_ACCESS

    def has_permission(self, request: Request, view: Any) -> bool:
        user = getattr(request, "user", None)  # None when anonymous (UNAUTHENTICATED_USER = None)
        return bool(
            user is not None
            and user.is_authenticated
            and user.is_verified()  # added by OTPMiddleware
            and getattr(request._request, "practice_access", None) is not None
        )
