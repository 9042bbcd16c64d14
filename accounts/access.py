"""Who the current user is in the current practice, and what they may do there.

`PracticeAccess` is built once per request by `CurrentPracticeMiddleware` (and by tests and
commands through `practice_access_for`). Views, APIs and selectors take it as `access=` and
ask it for capabilities, never for roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest
from rest_framework import exceptions as drf_exceptions
from rest_framework.request import Request

from accounts.domain.roles import Capability, Role, role_can, role_is_caseload_scoped
from accounts.models import Membership, User
from audit.services import AuditContext
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


def practice_access_for(
    *, user: User, practice_id: int | None = None, audit: AuditContext | None = None
) -> PracticeAccess | None:
    """The user's access in `practice_id` (or their first practice); None without membership."""
    memberships = active_memberships(user)
    if not memberships:
        return None
    chosen = next((m for m in memberships if m.practice_id == practice_id), None) or memberships[0]
    if practice_id is not None and chosen.practice_id != practice_id:
        return None
    from practice.selectors import provider_id_for_user  # practice sits above accounts

    return PracticeAccess(
        user_id=user.pk,
        username=user.get_username(),
        practice_id=chosen.practice_id,
        practice_name=chosen.practice.legal_name,
        role=Role(chosen.role),
        provider_id=provider_id_for_user(user_id=user.pk, practice_id=chosen.practice_id),
        audit=audit or AuditContext(actor_id=user.pk, actor_username=user.get_username()),
        other_practices=tuple(
            sorted(((m.practice_id, m.practice.legal_name) for m in memberships), key=lambda item: item[1])
        ),
    )


def practice_access_from_request(request: HttpRequest) -> PracticeAccess | None:
    user = request.user
    if not user.is_authenticated:
        return None
    header = request.META.get(PRACTICE_HEADER, "")
    raw = header or request.session.get(SESSION_PRACTICE_KEY)
    try:
        wanted = int(raw) if raw else None
    except (TypeError, ValueError):
        wanted = None
    access = practice_access_for(user=user, practice_id=wanted, audit=AuditContext.from_request(request))
    if access is None and wanted is not None and not header:
        # A stale session choice (membership ended): fall back to the first practice.
        access = practice_access_for(user=user, audit=AuditContext.from_request(request))
    return access


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
