from django.apps import AppConfig


class AuthorizationsConfig(AppConfig):
    name = "authorizations"
    verbose_name = "Prior authorizations"

    def ready(self) -> None:
        # Denied cross-practice attempts are also recorded in the owning practice (audit.owners).
        from audit.owners import audit_owner_lookup_for, audit_owner_register
        from authorizations.models import PriorAuthorization

        audit_owner_register("prior_authorization", audit_owner_lookup_for(PriorAuthorization))
