"""Admin: the audit log and its verifications, read-only (no add, change or delete)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.models import AuditEvent, AuditVerification


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    actions = None  # no "delete selected"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "occurred_at", "actor_username", "practice_id", "action", "category", "outcome")
    list_filter = ("action", "outcome", "category")
    search_fields = ("actor_username", "=patient_id", "=object_id")
    ordering = ("-seq",)
    show_full_result_count = False


@admin.register(AuditVerification)
class AuditVerificationAdmin(ReadOnlyAdmin):
    list_display = ("ran_at", "ok", "events_checked")
    ordering = ("-ran_at",)
