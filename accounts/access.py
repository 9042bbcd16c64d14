"""Who the current user is in the current practice, and what they may do there.

`PracticeAccess` is built once per request by `practice.middleware.CurrentPracticeMiddleware`
(and by tests and commands through `practice.access.practice_access_for`: the provider profile
it carries lives in practice, above accounts). Views, APIs and selectors take it as `access=`
and ask it for capabilities, never for roles; screens get it through `screen_access`, APIs
through `request_access`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest
from rest_framework import exceptions as drf_exceptions
from rest_framework.request import Request

from accounts.domain.roles import Capability, Role, role_can, role_is_caseload_scoped
from accounts.models import Membership, User
from core.audit_context import AuditContext
from core.errors import PermissionDenied

SESSION_PRACTICE_KEY = "parity_practice_id"
PRACTICE_HEADER = "HTTP_X_PARITY_PRACTICE"
NO_PRACTICE_ACCESS = "Sign in, pass two-factor verification and belong to a practice."


@dataclass(frozen=True)
class PracticeAccess:
    user_id: int
    username: str
    practice_id: int
    practice_name: str
    role: Role
    provider_id: int | None
    audit: AuditContext
    other_practices: tuple[tuple[int, str], ...] = field(default=())

    def can(self, capability: Capability) -> bool:
        return role_can(self.role, capability)

    def require(self, capability: Capability) -> None:
        if not self.can(capability):
            raise PermissionDenied()

    @property
    def caseload_scoped(self) -> bool:
        return role_is_caseload_scoped(self.role)


def active_memberships(user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user, is_active=True)
        .select_related("practice")
        .order_by("created_at", "pk")  # the first practice joined is the default
    )


def screen_access(request: HttpRequest, capability: Capability) -> PracticeAccess:
    """The current practice access for a screen that needs `capability` (else Django's 403 page)."""
    access: PracticeAccess | None = getattr(request, "practice_access", None)
    if access is None or not access.can(capability):
        raise DjangoPermissionDenied
    return access


def request_access(request: HttpRequest | Request, capability: Capability | None = None) -> PracticeAccess:
    """The current practice access for an API view (and `capability`, when given).

    Set by the middleware on the Django request (DRF's Request reads through to it). Without it,
    or without the capability, the API answers 403 in the usual error shape, never a 500.
    """
    access: PracticeAccess | None = getattr(request, "practice_access", None)
    if access is None:
        raise drf_exceptions.PermissionDenied(NO_PRACTICE_ACCESS)
    if capability is not None:
        access.require(capability)
    return access
