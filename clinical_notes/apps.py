from django.apps import AppConfig


class ClinicalNotesConfig(AppConfig):
    name = "clinical_notes"
    verbose_name = "Clinical notes"
