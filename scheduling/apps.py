from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "scheduling"

    def ready(self) -> None:
        # Denied cross-practice attempts are also recorded in the owning practice (audit.owners).
        from audit.owners import audit_owner_lookup_for, audit_owner_register
        from scheduling.models import Appointment, GroupSession

        audit_owner_register("appointment", audit_owner_lookup_for(Appointment))
        audit_owner_register("group_session", audit_owner_lookup_for(GroupSession, patient_field=None))
