from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"

    def ready(self) -> None:
        # Lower layers (the audit log) name patients through core.directory.
        from core.directory import register_patient_directory
        from patients.selectors import patient_directory_labels, patient_directory_search

        register_patient_directory(labels=patient_directory_labels, search=patient_directory_search)
