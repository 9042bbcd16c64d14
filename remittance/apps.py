from django.apps import AppConfig


class RemittanceConfig(AppConfig):
    name = "remittance"
    verbose_name = "Remittance"

    def ready(self) -> None:
        from core.directory import register_last_era_lookup
        from remittance.selectors import last_era_received_on

        register_last_era_lookup(
            lookup=lambda practice_id, payer_ids: last_era_received_on(
                practice_id=practice_id, payer_ids=payer_ids
            )
        )
