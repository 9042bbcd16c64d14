"""Read-only admin for treatment plans: the services are the only way a plan changes (STYLE §3).
Staff may look; nobody adds, edits or deletes here. The clinical text stays on the audited
screens."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from treatment_plans.models import TreatmentPlan


@admin.register(TreatmentPlan)
class TreatmentPlanAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["pk", "practice_id", "patient_id", "author_id", "status", "starts_on", "review_on"]
    list_filter = ["status"]
    fields = ["practice", "author", "status", "starts_on", "review_on", "signed_at", "signed_by"]

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
