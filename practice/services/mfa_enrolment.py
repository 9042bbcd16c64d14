"""MFA enrolment: an admin issues a one-time code, the user redeems it to enrol an authenticator.

No first-come enrolment: a password alone never shows an authenticator key. Codes expire after
24 hours, are used once, are stored hashed, and every issue, use, expiry and device reset is an
audit event in the practice that issued the code (docs/decisions/0025).
These services live in practice (above audit) because they write audit events; the models are
accounts'.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.domain.enrolment import (
    CODE_ALPHABET,
    CODE_LENGTH,
    CODE_LIFETIME,
    CodeState,
    code_digest,
    code_is_well_formed,
    code_state,
    format_code,
)
from accounts.models import Membership, MfaEnrolmentCode, User
from accounts.services import MFA_DEVICE_NAME, mfa_confirmed_device
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import AuditContext, audit_event_record
from core.errors import NotFound, ValidationFailed

OBJECT_TYPE = "mfa_enrolment_code"
NOT_VALID = "That enrolment code is not valid for your account. Ask your practice admin for a new one."
EXPIRED = "That enrolment code has expired (codes last 24 hours). Ask your practice admin for a new one."


@dataclass(frozen=True)
class IssuedCode:
    code_id: int
    user_id: int
    code: str  # shown to the admin once; only its hash is stored
    expires_at: dt.datetime


def _state(row: MfaEnrolmentCode, now: dt.datetime) -> CodeState:
    return code_state(expires_at=row.expires_at, used_at=row.used_at, revoked_at=row.revoked_at, now=now)


def _require_member(*, practice_id: int, user_id: int) -> None:
    if not Membership.objects.filter(user_id=user_id, practice_id=practice_id, is_active=True).exists():
        raise NotFound()


def mfa_enrolment_code_issue(*, practice_id: int, user_id: int, context: AuditContext) -> IssuedCode:
    """A new code for a member of the practice; any earlier unused code of theirs is revoked."""
    _require_member(practice_id=practice_id, user_id=user_id)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    now = timezone.now()
    with transaction.atomic(durable=True):
        revoked = MfaEnrolmentCode.objects.filter(
            user_id=user_id, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        row = MfaEnrolmentCode.objects.create(
            user_id=user_id,
            practice_id=practice_id,
            issued_by_id=context.actor_id,
            code_hash=code_digest(raw),
            expires_at=now + CODE_LIFETIME,
        )
        audit_event_record(
            context=context,
            action=AuditEvent.Action.CREATE,
            category=Category.ACCOUNT_SECURITY,
            practice_id=practice_id,
            object_type=OBJECT_TYPE,
            object_id=row.pk,
            detail=f"enrolment code issued for user {user_id}; {revoked} earlier code(s) revoked",
        )
    return IssuedCode(code_id=row.pk, user_id=user_id, code=format_code(raw), expires_at=row.expires_at)


def mfa_device_reset(*, practice_id: int, user_id: int, context: AuditContext) -> int:
    """A lost device: remove the user's authenticators and codes; they need a new code to enrol."""
    _require_member(practice_id=practice_id, user_id=user_id)
    with transaction.atomic(durable=True):
        removed = TOTPDevice.objects.filter(user_id=user_id).delete()[0]
        removed += StaticDevice.objects.filter(user_id=user_id).delete()[0]
        MfaEnrolmentCode.objects.filter(
            user_id=user_id, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        audit_event_record(
            context=context,
            action=AuditEvent.Action.MFA_RESET,
            category=Category.ACCOUNT_SECURITY,
            practice_id=practice_id,
            object_type="user",
            object_id=user_id,
            detail=f"authenticator reset: {removed} device record(s) removed; a new enrolment code is needed",
        )
    return removed


def _expiry_record(*, code_id: int, context: AuditContext) -> bool:
    """Write a code's expiry to the audit trail once (a conditional update guards the repeat)."""
    with transaction.atomic():
        claimed = MfaEnrolmentCode.objects.filter(pk=code_id, expiry_recorded_at__isnull=True).update(
            expiry_recorded_at=timezone.now()
        )
        if not claimed:
            return False
        row = MfaEnrolmentCode.objects.get(pk=code_id)
        audit_event_record(
            context=context,
            action=AuditEvent.Action.UPDATE,
            category=Category.ACCOUNT_SECURITY,
            practice_id=row.practice_id,
            object_type=OBJECT_TYPE,
            object_id=row.pk,
            detail=f"enrolment code for user {row.user_id} expired unused",
        )
    return True


def mfa_enrolment_codes_expire(*, context: AuditContext) -> int:
    """Hourly (beat): record each code that expired unused. Returns how many were recorded."""
    due = MfaEnrolmentCode.objects.filter(
        expires_at__lte=timezone.now(),
        used_at__isnull=True,
        revoked_at__isnull=True,
        expiry_recorded_at__isnull=True,
    ).values_list("pk", flat=True)
    return sum(_expiry_record(code_id=pk, context=context) for pk in list(due))


def mfa_enrolment_code_redeem(
    *, user: User, code: str, context: AuditContext, key_hex: str | None = None
) -> int:
    """Check a typed code for this user and prepare the authenticator to show. Returns the code id.

    `key_hex` gives the new authenticator a known key (the demo's documented key); otherwise a
    random one.
    """
    if mfa_confirmed_device(user=user) is not None:
        raise ValidationFailed("You already have an authenticator.", field_errors={"code": [NOT_VALID]})
    row = (
        MfaEnrolmentCode.objects.filter(user=user, code_hash=code_digest(code)).first()
        if code_is_well_formed(code)
        else None
    )
    if row is None:
        raise ValidationFailed(NOT_VALID, field_errors={"code": [NOT_VALID]})
    state = _state(row, timezone.now())
    if state is CodeState.EXPIRED:
        _expiry_record(code_id=row.pk, context=context)
        raise ValidationFailed(EXPIRED, field_errors={"code": [EXPIRED]})
    if state is not CodeState.VALID:
        raise ValidationFailed(NOT_VALID, field_errors={"code": [NOT_VALID]})
    with transaction.atomic(durable=True):
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        TOTPDevice.objects.create(
            user=user, name=MFA_DEVICE_NAME, confirmed=False, **({"key": key_hex} if key_hex else {})
        )
    return row.pk


def mfa_enrolment_pending_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def mfa_enrolment_complete(*, user: User, code_id: int, token: str, context: AuditContext) -> TOTPDevice:
    """Confirm the pending authenticator with its first code; the enrolment code is spent."""
    with transaction.atomic(durable=True):
        row = MfaEnrolmentCode.objects.select_for_update().filter(pk=code_id, user=user).first()
        if row is None or _state(row, timezone.now()) is not CodeState.VALID:
            raise ValidationFailed(NOT_VALID, field_errors={"code": [NOT_VALID]})
        device = mfa_enrolment_pending_device(user=user)
        if device is None or not device.verify_token(token.strip()):
            raise ValidationFailed(
                "That code is not valid.", field_errors={"token": ["That code is not valid."]}
            )
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        row.used_at = timezone.now()
        row.save(update_fields=["used_at", "updated_at"])
        audit_event_record(
            context=context,
            action=AuditEvent.Action.MFA_ENROL,
            category=Category.ACCOUNT_SECURITY,
            practice_id=row.practice_id,
            object_type=OBJECT_TYPE,
            object_id=row.pk,
            detail=f"enrolment code used: user {user.pk} enrolled an authenticator",
        )
    return device
