"""Account use cases: users, memberships, practice switching, the confirmed MFA device.

Enrolling an authenticator needs an admin's one-time code: practice.services.mfa_enrolment.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.domain.mfa import WRONG_CODE, mfa_locked_message
from accounts.domain.roles import Role
from accounts.models import Membership, User
from core.errors import NotFound, ValidationFailed

MFA_DEVICE_NAME = "Authenticator app"


def mfa_confirmed_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def mfa_lock_problem(*, device: TOTPDevice) -> str:
    """The message to show when wrong codes have locked `device` for now; "" when it is not."""
    allowed, info = device.verify_is_allowed()
    if allowed or not info or "locked_until" not in info:
        return ""
    return mfa_locked_message(
        failure_count=int(info.get("failure_count", 0)), locked_until=info["locked_until"], now=timezone.now()
    )


def mfa_token_check(*, device: TOTPDevice, token: str) -> None:
    """Accept `token` for `device`, or refuse it: wrong code, or locked after too many (says so)."""
    locked = mfa_lock_problem(device=device)
    if locked:
        raise ValidationFailed(locked, field_errors={"token": [locked]}, code="mfa_locked")
    if not device.verify_token(token.strip()):
        locked = mfa_lock_problem(device=device)
        message = f"{WRONG_CODE} {locked}" if locked else WRONG_CODE
        raise ValidationFailed(message, field_errors={"token": [message]})


def practice_switch_check(*, user: User, practice_id: int) -> int:
    if not Membership.objects.filter(user=user, practice_id=practice_id, is_active=True).exists():
        raise NotFound()
    return practice_id


def user_create(
    *,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """Create a sign-in account. The password must pass the configured password rules."""
    username = username.strip()
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    problems: dict[str, list[str]] = {}
    if not username:
        problems["username"] = ["A username is required."]
    elif User.objects.filter(username__iexact=username).exists():
        problems["username"] = ["That username is taken."]
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        problems["password"] = list(exc.messages)
    if problems:
        raise ValidationFailed(field_errors=problems)
    with transaction.atomic(durable=True):
        user.set_password(password)
        user.full_clean()
        user.save()
    return user


def membership_grant(*, user_id: int, practice_id: int, role: str) -> Membership:
    """Give a user a role in a practice (or change their role there). Idempotent."""
    if role not in {r.value for r in Role}:
        raise ValidationFailed(field_errors={"role": [f"Unknown role: {role}."]})
    with transaction.atomic(durable=True):
        membership, created = Membership.objects.select_for_update().get_or_create(
            user_id=user_id, practice_id=practice_id, defaults={"role": role}
        )
        if not created and (membership.role != role or not membership.is_active):
            membership.role = role
            membership.is_active = True
            membership.save(update_fields=["role", "is_active", "updated_at"])
    return membership
