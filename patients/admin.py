"""Django admin for patient tables: ids and timestamps only, read-only.

The admin writes no audit events, so it must not show PHI: names, dates of birth, member IDs,
codes and the like are read (and changed) only through the patient screens and API, whose
selectors and services audit every access. The admin is left for support staff to see that rows
exist and how they link (practice, patient id), nothing more.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from patients.models import (
    CareTeamMember,
    Consent,
    Coverage,
    Guarantor,
    Patient,
    PatientAccountSequence,
    PatientDiagnosis,
)

BASE_COLUMNS: tuple[str, ...] = ("id", "created_at", "updated_at")
PATIENT_COLUMNS: tuple[str, ...] = ("id", "practice_id", "is_active", "created_at", "updated_at")
CHILD_COLUMNS: tuple[str, ...] = ("id", "patient_id", "created_at", "updated_at")
COVERAGE_COLUMNS: tuple[str, ...] = ("id", "patient_id", "payer_id", "priority", "created_at", "updated_at")
CARE_TEAM_COLUMNS: tuple[str, ...] = ("id", "patient_id", "provider_id", "created_at", "updated_at")
ID_SEARCH: tuple[str, ...] = ("=id",)
CHILD_SEARCH: tuple[str, ...] = ("=id", "=patient__id")
SEQUENCE_COLUMNS: tuple[str, ...] = ("id", "practice_id", "last_number")


class NoPhiAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only; shows only the listed non-PHI columns; no search over PHI."""

    list_display = BASE_COLUMNS
    fields = BASE_COLUMNS
    readonly_fields = BASE_COLUMNS
    search_fields = ID_SEARCH
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Patient)
class PatientAdmin(NoPhiAdmin):
    list_display = PATIENT_COLUMNS
    list_filter = ("practice", "is_active")
    fields = PATIENT_COLUMNS
    readonly_fields = PATIENT_COLUMNS


class _PatientChildAdmin(NoPhiAdmin):
    list_display = CHILD_COLUMNS
    fields = CHILD_COLUMNS
    readonly_fields = CHILD_COLUMNS
    search_fields = CHILD_SEARCH


@admin.register(Guarantor)
class GuarantorAdmin(_PatientChildAdmin):
    pass


@admin.register(Coverage)
class CoverageAdmin(_PatientChildAdmin):
    list_display = COVERAGE_COLUMNS
    fields = COVERAGE_COLUMNS
    readonly_fields = COVERAGE_COLUMNS


@admin.register(PatientDiagnosis)
class PatientDiagnosisAdmin(_PatientChildAdmin):
    pass


@admin.register(Consent)
class ConsentAdmin(_PatientChildAdmin):
    pass


@admin.register(CareTeamMember)
class CareTeamMemberAdmin(_PatientChildAdmin):
    list_display = CARE_TEAM_COLUMNS
    fields = CARE_TEAM_COLUMNS
    readonly_fields = CARE_TEAM_COLUMNS


@admin.register(PatientAccountSequence)
class PatientAccountSequenceAdmin(NoPhiAdmin):
    list_display = SEQUENCE_COLUMNS
    fields = SEQUENCE_COLUMNS
    readonly_fields = SEQUENCE_COLUMNS
