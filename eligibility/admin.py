from django import forms
from django.contrib import admin

from eligibility.adapters import ADAPTER_LABELS, sandbox_allowed
from eligibility.models import EligibilityCheck, EligibilitySettings


class EligibilitySettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    clearinghouse = forms.ChoiceField(
        choices=[("", "The deployment's default"), *ADAPTER_LABELS.items()], required=False
    )

    class Meta:
        model = EligibilitySettings
        fields = ["practice", "clearinghouse", "days_ahead", "reverify_after_days", "appointment_gap_days"]

    def clean_clearinghouse(self) -> str:
        value: str = self.cleaned_data["clearinghouse"]
        if value == "sandbox" and not sandbox_allowed():
            raise forms.ValidationError("The sandbox is refused in production (test members only).")
        return value


@admin.register(EligibilitySettings)
class EligibilitySettingsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = EligibilitySettingsForm
    list_display = ["practice", "clearinghouse", "days_ahead", "reverify_after_days", "appointment_gap_days"]


@admin.register(EligibilityCheck)
class EligibilityCheckAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["pk", "practice", "service_date", "status", "reason", "is_sandbox", "created_at"]
    list_filter = ["status", "reason", "is_sandbox"]
    readonly_fields = [f.name for f in EligibilityCheck._meta.fields]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False
