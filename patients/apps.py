from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"

    def ready(self) -> None:
        # Denied cross-practice attempts are also recorded in the owning practice (audit.owners).
        from audit.owners import audit_owner_lookup_for, audit_owner_register
        from patients.models import Patient

        audit_owner_register("patient", audit_owner_lookup_for(Patient, patient_field="pk"))

        # Lower layers (the audit log) name patients through core.directory.
        from core.directory import register_patient_directory
        from patients.selectors import patient_directory_labels, patient_directory_search

        register_patient_directory(labels=patient_directory_labels, search=patient_directory_search)
