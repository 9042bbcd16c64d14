from django.contrib import admin
from django.http import HttpRequest

from coding.models import CodeSetEntry, Icd10cmRelease


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


@admin.register(Icd10cmRelease)
class Icd10cmReleaseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: a year is loaded with `manage.py import_icd10cm` (checked, all-or-nothing)."""

    list_display = ("fiscal_year", "file_name", "code_count", "billable_count", "updated_at")
    ordering = ("-fiscal_year",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
