"""Sign-in and two-factor events into the audit trail (connected in AuditConfig.ready).

accounts sits below audit, so it announces what happened (Django's auth signals, django-axes's
lockout signal, accounts.signals) and this module records it: one event per practice the user
belongs to (so each practice's compliance auditor sees its members' sign-ins), or one event with
no practice for a username nobody has. No PHI: usernames, addresses, outcomes.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from accounts import signals as account_signals
from accounts.models import Membership, User
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from core.audit_context import AuditContext

USER_OBJECT = "user"


def _practices_of(user: User | None) -> list[int | None]:
    if user is None:
        return [None]
    ids = list(
        Membership.objects.filter(user=user, is_active=True)
        .order_by("practice_id")
        .values_list("practice_id", flat=True)
    )
    return list(ids) or [None]


def _context(request: HttpRequest | None, *, user: User | None, username: str = "") -> AuditContext:
    base = AuditContext.from_request(request) if request is not None and hasattr(request, "user") else None
    return AuditContext(
        actor_id=user.pk if user is not None else None,
        actor_username=(user.get_username() if user is not None else username)[:150],
        ip_address=base.ip_address if base else _remote_addr(request),
        request_path=base.request_path if base else (request.path[:300] if request is not None else ""),
    )


def _remote_addr(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def account_event_record(
    *,
    request: HttpRequest | None,
    user: User | None,
    action: str,
    outcome: str = AuditEvent.Outcome.ALLOWED,
    detail: str = "",
    username: str = "",
) -> None:
    context = _context(request, user=user, username=username)
    for practice_id in _practices_of(user):
        audit_event_record(
            context=context,
            action=action,
            category=Category.SIGN_IN,
            practice_id=practice_id,
            object_type=USER_OBJECT,
            object_id=user.pk if user is not None else "",
            outcome=outcome,
            detail=detail,
        )


def _through_a_page(request: HttpRequest | None) -> bool:
    """A sign-in someone made through a page (the sign-in form, the admin's): the request was
    routed. Test clients' `force_login` sends the same signal with a bare request: not a sign-in."""
    return request is not None and getattr(request, "resolver_match", None) is not None


def on_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if _through_a_page(request):
        account_event_record(
            request=request, user=user, action=AuditEvent.Action.SIGN_IN, detail="step=password"
        )


def on_logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None and _through_a_page(request):
        account_event_record(request=request, user=user, action=AuditEvent.Action.SIGN_OUT)


def _user_named(username: str) -> User | None:
    return User.objects.filter(username__iexact=username).first() if username else None


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "")[:150]
    user = _user_named(username)
    account_event_record(
        request=request,
        user=user,
        username=username,
        action=AuditEvent.Action.SIGN_IN_FAILED,
        outcome=AuditEvent.Outcome.DENIED,
        detail="step=password" if user is not None else "step=password;unknown_user",
    )


def on_locked_out(
    sender: Any, request: HttpRequest | None, username: str | None = None, **kwargs: Any
) -> None:
    name = str(username or "")[:150]
    user = _user_named(name)
    account_event_record(
        request=request,
        user=user,
        username=name,
        action=AuditEvent.Action.LOCKED_OUT,
        outcome=AuditEvent.Outcome.DENIED,
        detail="axes_lockout",
    )


def on_mfa_verified(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    account_event_record(
        request=request, user=user, action=AuditEvent.Action.SIGN_IN, detail="step=two_factor"
    )


def on_mfa_code_refused(
    sender: Any, request: HttpRequest, user: User, locked: bool = False, **kwargs: Any
) -> None:
    account_event_record(
        request=request,
        user=user,
        action=AuditEvent.Action.MFA_FAILED,
        outcome=AuditEvent.Outcome.DENIED,
        detail="device_locked" if locked else "wrong_code",
    )


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="audit.sign_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="audit.sign_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit.sign_in_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="audit.locked_out")
    account_signals.mfa_verified.connect(on_mfa_verified, dispatch_uid="audit.mfa_verified")
    account_signals.mfa_code_refused.connect(on_mfa_code_refused, dispatch_uid="audit.mfa_refused")
