from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from audit.errors import AppendOnlyViolation


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Bulk UPDATE and DELETE are refused here; the database triggers refuse the rest."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyViolation("Audit events are append-only: they cannot be updated.")

    def delete(self) -> NoReturn:
        raise AppendOnlyViolation("Audit events are append-only: they cannot be deleted.")


class AuditEvent(models.Model):
    """One PHI access (or denied attempt). Append-only and hash-chained.

    `seq` orders the chain; `hash` = HMAC-SHA256 (keyed from the environment; plain SHA-256 for
    events written before the chain was keyed) over the previous hash and this row's fields
    (see audit.domain.chain). Database triggers reject UPDATE, DELETE and TRUNCATE
    (migration 0005); the queryset refuses bulk update/delete; the admin is read-only.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        LIST = "list", "Listed"
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"
        EXPORT = "export", "Exported"
        VERIFY = "verify", "Verification requested"
        ROTATE_KEY = "rotate_key", "Chain key started"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGN_OUT = "sign_out", "Signed out"
        LOCKED_OUT = "locked_out", "Locked out"
        MFA_ENROL = "mfa_enrol", "Two-factor device enrolled"
        MFA_RESET = "mfa_reset", "Two-factor device reset"
        MFA_FAILED = "mfa_failed", "Two-factor code refused"

    class Outcome(models.TextChoices):
        ALLOWED = "allowed", "Allowed"
        DENIED = "denied", "Denied"

    seq = models.BigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    practice_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    patient_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    category = models.CharField(max_length=32, db_index=True)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.ALLOWED)
    detail = models.CharField(max_length=200, blank=True, help_text="No PHI: ids, counts, field names")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_path = models.CharField(max_length=300, blank=True)
    # The patients a list or search showed, as ",12,34," (audit.domain.chain.shown_ids_text), so
    # "who saw patient X" has an answer for lists too. Part of the keyed hash.
    shown_patient_ids = models.TextField(blank=True, default="")
    prev_hash = models.CharField(max_length=64)
    # 1: plain SHA-256 (events written before the chain was keyed); 2: HMAC-SHA256 with the key
    # whose fingerprint is `key_id` (the key itself lives in the environment, never here).
    chain_version = models.PositiveSmallIntegerField(default=1)
    key_id = models.CharField(max_length=16, blank=True, default="")
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["practice_id", "occurred_at"], name="audit_practice_time_idx"),
            # The compliance viewer: one practice's events, newest first.
            models.Index(fields=["practice_id", "-seq"], name="audit_practice_seq_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.category}"


class AuditChainHead(models.Model):
    """The chain's tip: last seq and hash. Locked to append; lets the verifier detect truncation."""

    singleton = models.BooleanField(default=True, unique=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    key_id = models.CharField(
        max_length=16, blank=True, default="", help_text="the key the tip is sealed with"
    )

    def __str__(self) -> str:
        return f"head at #{self.last_seq}"


class AuditVerification(models.Model):
    """The result of one run of the chain verifier."""

    ran_at = models.DateTimeField()
    events_checked = models.BigIntegerField()
    ok = models.BooleanField()
    findings = models.JSONField(default=list, blank=True, help_text="[{code, message, field}]")

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"verification {self.ran_at:%Y-%m-%d %H:%M} ok={self.ok}"
