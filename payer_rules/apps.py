from django.apps import AppConfig


class PayerRulesConfig(AppConfig):
    name = "payer_rules"
    verbose_name = "Payer rules"
