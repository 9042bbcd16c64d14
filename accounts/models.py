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
