from django.contrib import admin
from django.http import HttpRequest

from claims.models import BillableNote


@admin.register(BillableNote)
class BillableNoteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["pk", "note_id", "practice_id", "status", "recorded_at"]
    list_filter = ["status"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: BillableNote | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: BillableNote | None = None) -> bool:
        return False
