import os
import sys
import threading

from django.apps import AppConfig
from django.conf import settings


class CodingConfig(AppConfig):
    name = "coding"
    verbose_name = "Coding"

    def ready(self) -> None:
        """With WARM_UP_ON_START (set by `make run` and the compose web and worker services), load
        the ICD-10-CM catalog in the background as the process starts, so the first co-sign or
        charge capture does not wait seconds for it. Off for tests and one-off commands."""
        if not settings.WARM_UP_ON_START or _is_autoreload_parent():
            return
        from coding.icd10 import icd10_catalog  # noqa: PLC0415 - imports models' neighbours

        threading.Thread(target=icd10_catalog, name="icd10-warm-up", daemon=True).start()


def _is_autoreload_parent() -> bool:
    """runserver's file watcher process serves nothing (its child has RUN_MAIN=true)."""
    return "runserver" in sys.argv and os.environ.get("RUN_MAIN") != "true"
