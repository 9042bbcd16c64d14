from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "practice"

    def ready(self) -> None:
        # Lower layers (the audit log) show times in the practice's zone through core.directory.
        from core.directory import register_practice_zones
        from practice.selectors import practice_zone

        register_practice_zones(zone=lambda practice_id: practice_zone(practice_id=practice_id).key)
