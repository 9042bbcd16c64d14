"""Account use cases: MFA device enrolment and confirmation, practice switching."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, User
from core.errors import NotFound, ValidationFailed

MFA_DEVICE_NAME = "Authenticator app"


def mfa_device_get_or_create_unconfirmed(*, user: User) -> TOTPDevice:
    """The user's pending TOTP device (created once; shown as a QR code until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=MFA_DEVICE_NAME, confirmed=False)
    return device


def mfa_confirmed_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def mfa_device_confirm(*, user: User, token: str) -> TOTPDevice:
    """Confirm the pending device with a first valid code."""
    with transaction.atomic(durable=True):
        device = mfa_device_get_or_create_unconfirmed(user=user)
        if not device.verify_token(token.strip()):
            raise ValidationFailed(
                "That code is not valid.", field_errors={"token": ["That code is not valid."]}
            )
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return device


def mfa_device_set_key(*, user: User, key_hex: str) -> TOTPDevice:
    """Give the user a confirmed TOTP device with a known key (demo accounts and tests only)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        return TOTPDevice.objects.create(user=user, name=MFA_DEVICE_NAME, key=key_hex, confirmed=True)


def practice_switch_check(*, user: User, practice_id: int) -> int:
    if not Membership.objects.filter(user=user, practice_id=practice_id, is_active=True).exists():
        raise NotFound()
    return practice_id
