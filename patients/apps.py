from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"

    def ready(self) -> None:
        # Denied cross-practice attempts are also recorded in the owning practice (audit.owners).
        from audit.owners import audit_owner_lookup_for, audit_owner_register
        from patients.models import Patient

        audit_owner_register("patient", audit_owner_lookup_for(Patient, patient_field="pk"))
