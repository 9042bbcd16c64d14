"""Settings come from the environment with safe fallbacks (STYLE.md §20), proven in fresh processes.

Each case starts a Python subprocess with a controlled environment (nothing inherited but PATH/HOME),
because settings are read once per process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.db import transaction

from billing.celery import app as celery_app
from core.tasks import enqueue_on_commit

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": "prod-like-" + "k3Y-" * 16,
    "AUDIT_CHAIN_KEY": "prod-like-audit-" + "cH4in-" * 8,
    "ALLOWED_HOSTS": "parity.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://parity.example.com",
}
PRINT_SETTINGS = """
import json
from django.conf import settings
from billing.celery import app
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER, "broker": settings.CELERY_BROKER_URL,
    "app_broker": app.conf.broker_url, "app_eager": app.conf.task_always_eager,
    "debug": settings.DEBUG, "secret_length": len(settings.SECRET_KEY),
}))
"""


def run_python(
    code: str, env: dict[str, str], *args: str, module: str = "billing.settings.base"
) -> subprocess.CompletedProcess[str]:
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    return subprocess.run(
        [sys.executable, *(["-c", code] if code else []), *args],
        env={**base, "DJANGO_SETTINGS_MODULE": module, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def settings_under(env: dict[str, str]) -> dict[str, Any]:
    result = run_python(PRINT_SETTINGS, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_database_url_the_database_is_a_sqlite_file() -> None:
    # when
    values = settings_under({"DJANGO_DEBUG": "1"})

    # then
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "db.sqlite3")


def test_a_postgres_database_url_selects_postgresql() -> None:
    # when
    values = settings_under({**PRODUCTION_ENV, "DATABASE_URL": "postgres://parity@db.internal:5432/parity_x"})

    # then
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "parity_x"
    assert values["host"] == "db.internal"


def test_without_redis_url_tasks_run_in_process() -> None:
    # when
    values = settings_under({"DJANGO_DEBUG": "1"})

    # then
    assert values["eager"] is True
    assert values["app_eager"] is True
    assert values["broker"] == "memory://"


def test_a_redis_url_makes_redis_the_broker_and_turns_eager_off() -> None:
    # when
    values = settings_under({**PRODUCTION_ENV, "REDIS_URL": "redis://cache.internal:6379/3"})

    # then
    assert values["eager"] is False
    assert values["app_eager"] is False
    assert values["broker"] == "redis://cache.internal:6379/3"
    assert values["app_broker"] == "redis://cache.internal:6379/3"


def test_without_secret_key_and_debug_off_settings_refuse_to_load() -> None:
    # when
    result = run_python(PRINT_SETTINGS, {"DJANGO_DEBUG": "0"})

    # then
    assert result.returncode == 1
    assert result.stdout == ""
    assert (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY must be set when DJANGO_DEBUG is off."
        in result.stderr
    )


def test_without_secret_key_debug_gets_a_development_key() -> None:
    # when
    values = settings_under({"DJANGO_DEBUG": "1"})

    # then
    assert values["debug"] is True
    assert values["secret_length"] >= 50


def test_deploy_check_is_silent_with_a_production_environment() -> None:
    # when
    result = run_python("", PRODUCTION_ENV, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"
    assert result.stderr == ""


def test_celery_is_configured_for_safe_delivery() -> None:
    # given
    conf = celery_app.conf

    # then
    assert conf.task_serializer == "json"
    assert conf.result_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit == 120
    assert conf.task_time_limit == 180
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


def test_every_periodic_task_expires() -> None:
    # then: a backlog of missed runs is dropped rather than replayed
    assert settings.CELERY_BEAT_SCHEDULE
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["options"]["expires"] > 0, name


def fake_task() -> mock.Mock:
    """Stands in for a Celery task of an app with a broker: records apply_async/delay calls."""
    task = mock.Mock(spec=["apply_async", "delay", "name", "app"], name="fake_task")
    task.app.conf.task_always_eager = False
    return task


@pytest.mark.django_db
def test_enqueue_on_commit_queues_only_after_commit(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    # given
    task = fake_task()

    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(task, claim_id=41, attempt=2)
        # then: nothing is queued while the transaction is open
        assert task.apply_async.call_count == 0

    # then: queued once, with keyword arguments only, after the commit
    assert len(callbacks) == 1
    task.apply_async.assert_called_once_with(kwargs={"claim_id": 41, "attempt": 2})
    task.delay.assert_not_called()


@pytest.mark.django_db
def test_enqueue_on_commit_queues_nothing_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    # given
    task = fake_task()

    def failing_use_case() -> None:
        with transaction.atomic():
            enqueue_on_commit(task, claim_id=41)
            raise RuntimeError("use case failed")

    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        failing_use_case()

    # then
    assert callbacks == []
    task.apply_async.assert_not_called()


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_waits_for_a_real_commit() -> None:
    # given
    task = fake_task()

    # when
    with transaction.atomic():
        enqueue_on_commit(task, note_id=7)
        queued_inside = task.apply_async.call_count

    # then
    assert queued_inside == 0
    task.apply_async.assert_called_once_with(kwargs={"note_id": 7})


@pytest.mark.parametrize(
    ("_case", "key", "message"),
    [
        ("missing", None, "AUDIT_CHAIN_KEY must be set when DJANGO_DEBUG is off."),
        ("too short", "k" * 31, "AUDIT_CHAIN_KEY must be at least 32 characters."),
    ],
)
def test_without_a_long_audit_chain_key_and_debug_off_settings_refuse_to_load(_case, key, message) -> None:
    # given
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != "AUDIT_CHAIN_KEY"}
    if key is not None:
        env["AUDIT_CHAIN_KEY"] = key
    # when
    result = run_python(PRINT_SETTINGS, env)
    # then
    assert result.returncode == 1
    assert f"django.core.exceptions.ImproperlyConfigured: {message}" in result.stderr


def test_a_32_character_audit_chain_key_is_accepted_and_debug_gets_the_development_key() -> None:
    # when
    production = run_python(PRINT_SETTINGS, {**PRODUCTION_ENV, "AUDIT_CHAIN_KEY": "k" * 32})
    debug = run_python(
        "from django.conf import settings; print(settings.AUDIT_CHAIN_KEY == settings.AUDIT_CHAIN_DEV_KEY)",
        {"DJANGO_DEBUG": "1"},
    )
    # then
    assert production.returncode == 0, production.stderr
    assert debug.stdout.strip() == "True", debug.stderr
