from django.contrib import admin
from django.http import HttpRequest

from coding.models import CodeSetEntry


@admin.register(CodeSetEntry)
class CodeSetEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: code sets change through `manage.py import_code_set` (checked, all-or-nothing)."""

    list_display = ("code", "kind", "label", "unit", "add_on", "effective_from", "effective_to")
    list_filter = ("kind", "unit", "add_on")
    search_fields = ("code", "label")
    ordering = ("kind", "code", "effective_from")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
