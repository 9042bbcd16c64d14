from django.apps import AppConfig


class RemittanceConfig(AppConfig):
    name = "remittance"
    verbose_name = "Remittance"
