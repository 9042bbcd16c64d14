from django.contrib.auth.models import AbstractUser
from django.db import models

from accounts.domain.roles import ROLE_LABELS, Role
from core.models import TimeStampedModel


class User(AbstractUser):
    """A person who signs in. Practice access comes from memberships, never from the user."""

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(TimeStampedModel):
    """A user's role in one practice. A billing company's staff hold several memberships."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    practice = models.ForeignKey("practice.Practice", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "practice"], name="accounts_membership_one_per_practice"),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]),
                name="accounts_membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.practice_id}:{self.role}"


class MfaEnrolmentCode(TimeStampedModel):
    """A one-time code an admin issues so that one user can enrol one authenticator.

    Only the SHA-256 of the code is stored (the code has about 80 random bits, so a plain hash
    is enough); the admin sees the code once. It expires 24 hours after issue, is used at most
    once, and issuing a new one or resetting the user's device revokes any earlier one.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mfa_enrolment_codes")
    practice = models.ForeignKey(
        "practice.Practice", on_delete=models.CASCADE, related_name="mfa_enrolment_codes"
    )
    issued_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expiry_recorded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the expiry was written to the audit trail"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="accounts_mfaenrolmentcode_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"enrolment code {self.pk} for user {self.user_id}"
