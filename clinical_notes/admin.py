"""Read-only admin for notes: services are the only way a note changes (STYLE §3), and a
final note cannot change at all. Staff may look; nobody adds, edits or deletes here."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from clinical_notes.models import CosignReminder, NoteAddendum, NoteEvent, SessionNote


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(SessionNote)
class SessionNoteAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "practice_id",
        "status",
        "service_type",
        "date_of_service",
        "author_id",
        "supervisor_id",
    ]
    list_filter = ["status", "service_type"]
    exclude = ["content"]  # the clinical narrative is read through the audited screens


@admin.register(NoteEvent)
class NoteEventAdmin(ReadOnlyAdmin):
    list_display = ["pk", "note_id", "from_status", "to_status", "actor_id", "occurred_at"]
    exclude = ["comment"]


@admin.register(NoteAddendum)
class NoteAddendumAdmin(ReadOnlyAdmin):
    list_display = ["pk", "note_id", "author_id", "created_at"]
    exclude = ["text"]


@admin.register(CosignReminder)
class CosignReminderAdmin(ReadOnlyAdmin):
    list_display = ["pk", "note_id", "supervisor_id", "sent_on", "days_waiting"]
