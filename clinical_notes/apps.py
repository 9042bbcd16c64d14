from django.apps import AppConfig


class ClinicalNotesConfig(AppConfig):
    name = "clinical_notes"
    verbose_name = "Clinical notes"

    def ready(self) -> None:
        # Denied cross-practice attempts are also recorded in the owning practice (audit.owners).
        from audit.owners import audit_owner_lookup_for, audit_owner_register
        from clinical_notes.models import SessionNote

        audit_owner_register("session_note", audit_owner_lookup_for(SessionNote))
