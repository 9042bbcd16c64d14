"""Building the request's `accounts.access.PracticeAccess`: membership, role and provider profile.

It lives in practice, above accounts, because the access carries the user's provider profile in
the chosen practice. The middleware (practice.middleware) calls `practice_access_from_request`
once per request; tests and commands call `practice_access_for`.
"""

from __future__ import annotations

from django.http import HttpRequest

from accounts.access import (
    PRACTICE_HEADER,
    SESSION_PRACTICE_KEY,
    PracticeAccess,
    active_memberships,
)
from accounts.domain.roles import Role
from accounts.models import User
from core.audit_context import AuditContext
from practice.selectors import provider_id_for_user


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
