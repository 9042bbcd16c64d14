from django.apps import AppConfig


class TreatmentPlansConfig(AppConfig):
    name = "treatment_plans"
    verbose_name = "Treatment plans"

    def ready(self) -> None:
        # Denied cross-practice attempts are also recorded in the owning practice (audit.owners).
        from audit.owners import audit_owner_lookup_for, audit_owner_register
        from treatment_plans.models import TreatmentPlan

        audit_owner_register("treatment_plan", audit_owner_lookup_for(TreatmentPlan))
