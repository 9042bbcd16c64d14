"""Celery: Redis broker when REDIS_URL is set, otherwise tasks run in-process (eager)."""

import environ
from celery.schedules import crontab

_env = environ.Env()

REDIS_URL = _env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = "django-db"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# The one beat schedule. Each entry: what, when (crontab.guru wording), and `expires`
# so a backlog of missed runs is dropped rather than replayed.
CELERY_BEAT_SCHEDULE = {
    # "At 06:30 every day"
    "authorization-alerts": {
        "task": "authorizations.tasks.authorization_alerts_task",
        "schedule": crontab(minute="30", hour="6"),
        "options": {"expires": 60 * 60},
    },
    # "At 02:15 every day"
    "audit-chain-verify": {
        "task": "audit.tasks.audit_chain_verify_task",
        "schedule": crontab(minute="15", hour="2"),
        "options": {"expires": 60 * 60},
    },
    # "At 06:00 every day"
    "license-expiry-alerts": {
        "task": "practice.tasks.license_expiry_alerts_task",
        "schedule": crontab(minute="0", hour="6"),
        "options": {"expires": 60 * 60},
    },
    # "At 07:30 every day"
    "cosign-reminders": {
        "task": "clinical_notes.tasks.cosign_reminders_task",
        "schedule": crontab(minute="30", hour="7"),
        "options": {"expires": 60 * 60},
    },
}
