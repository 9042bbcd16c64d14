from django.apps import AppConfig


class DenialsConfig(AppConfig):
    name = "denials"
    verbose_name = "Denials and appeals"
