"""Celery: Redis broker when REDIS_URL is set, otherwise tasks run in-process (eager).

Why the delivery settings are what they are (docs/decisions/0014-durable-hand-offs-with-an-outbox.md):
the BackgroundJob outbox, not the broker, makes work durable. The broker's job is to be quick:
- acks_late + reject_on_worker_lost: a message is acknowledged only after its task ran, and a
  prefork child that dies hands its message straight back to the queue;
- visibility_timeout 15 min: a message whose whole worker died comes back after that; it must be
  longer than any task runs (hard limit 3 min) or a running task would be delivered twice; the
  relay (every minute, lease JOBS_LEASE_SECONDS) resends lost work well before it;
- publishing gives up fast (2 retries, 2 s connect timeout) when Redis is down: the request that
  changed state has committed its job row, and the relay sends it when Redis is back.
"""

import environ
from celery.schedules import crontab

_env = environ.Env()

REDIS_URL = _env("REDIS_URL", default="")
# Without REDIS_URL, tasks run eagerly in-process and nothing opens a broker connection
# (tests/core/test_jobs.py checks that a co-sign's hand-off never touches kombu).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = "django-db"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 15 * 60}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# How long a sent or running background job is left alone before the relay sends it again:
# longer than CELERY_TASK_TIME_LIMIT, so a running task is never sent twice.
JOBS_LEASE_SECONDS = _env.int("JOBS_LEASE_SECONDS", default=5 * 60)
# The first retry of a failed job waits 15–30 s, then the wait doubles (core.domain.backoff).
JOBS_RETRY_BASE_SECONDS = _env.float("JOBS_RETRY_BASE_SECONDS", default=30.0)
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
    # "Every minute": send again every background job that is due (core.jobs.jobs_relay).
    "jobs-relay": {
        "task": "core.tasks.jobs_relay_task",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
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
    # "At minute 5 of every hour": audit each MFA enrolment code that expired unused.
    "mfa-enrolment-expiry": {
        "task": "practice.tasks.mfa_enrolment_codes_expire_task",
        "schedule": crontab(minute="5"),
        "options": {"expires": 50 * 60},
    },
    # "At 05:00 every day": verify the coverages of the coming days' appointments (eligibility).
    "eligibility-scheduled": {
        "task": "eligibility.tasks.eligibility_schedule_task",
        "schedule": crontab(minute="0", hour="5"),
        "options": {"expires": 60 * 60},
    },
    # "At every 10th minute": pick up the 271 answers in each SFTP practice's inbox (eligibility).
    "eligibility-sftp-collect": {
        "task": "eligibility.tasks.eligibility_sftp_collect_beat_task",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 9 * 60},
    },
    # "At every 5th minute": collect the claims' 999/277CA/835 answers per practice (claims).
    "claims-collect": {
        "task": "claims.tasks.claims_collect_beat_task",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # "At 06:45 every day": appeal deadlines 14, 7 and 2 days away (denials; once per threshold).
    "denial-reminders": {
        "task": "denials.tasks.denial_reminders_task",
        "schedule": crontab(minute="45", hour="6"),
        "options": {"expires": 60 * 60},
    },
    # "At 07:30 every day"
    "cosign-reminders": {
        "task": "clinical_notes.tasks.cosign_reminders_task",
        "schedule": crontab(minute="30", hour="7"),
        "options": {"expires": 60 * 60},
    },
}
