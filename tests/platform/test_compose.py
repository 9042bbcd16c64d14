"""docker-compose.yml and the Dockerfile, checked as data (no Docker engine runs in CI)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
LONG_RUNNING = ("postgres", "redis", "web", "worker", "beat")
APP_SERVICES = ("web", "worker", "beat")
REQUIRED_APP_ENV = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "AUDIT_CHAIN_KEY",
    "AUDIT_ANCHOR_PATH",
)
SECRET_WORDS = ("SECRET", "PASSWORD", "TOKEN", "KEY")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]


def command_of(service: dict[str, Any]) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_the_five_services_and_the_migrate_job_exist(services: dict[str, Any]) -> None:
    # then
    assert set(services) == {"postgres", "redis", "web", "worker", "beat", "migrate"}


@pytest.mark.parametrize(
    ("_case", "name", "image_pattern"),
    [
        ("postgres 15 or 16", "postgres", r"^postgres:1[56](\.\d+)?(-[a-z0-9]+)?$"),
        ("redis 7", "redis", r"^redis:7(\.\d+)*(-[a-z0-9]+)?$"),
    ],
)
def test_backing_services_use_pinned_major_images(
    services: dict[str, Any], _case: str, name: str, image_pattern: str
) -> None:
    # then
    assert re.match(image_pattern, services[name]["image"])
    assert "build" not in services[name]


@pytest.mark.parametrize("name", [*APP_SERVICES, "migrate"])
def test_app_services_build_from_the_dockerfile(services: dict[str, Any], name: str) -> None:
    # then
    assert services[name]["build"] == "."
    assert services[name]["image"] == "parity:latest"


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_each_long_running_service_has_a_healthcheck(services: dict[str, Any], name: str) -> None:
    # given
    healthcheck = services[name].get("healthcheck")

    # then
    assert healthcheck is not None
    assert healthcheck["test"][0] in ("CMD", "CMD-SHELL")
    assert healthcheck["interval"]
    assert healthcheck["retries"] >= 3


@pytest.mark.parametrize(
    ("name", "probe"),
    [
        ("postgres", "pg_isready"),
        ("redis", "redis-cli ping"),
        ("web", "/healthz"),
        ("worker", "inspect ping"),
        ("beat", "celerybeat.pid"),
    ],
)
def test_healthchecks_probe_the_service_itself(services: dict[str, Any], name: str, probe: str) -> None:
    # then
    assert probe in " ".join(services[name]["healthcheck"]["test"])


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_healthy_postgres_and_redis_and_finished_migrations(
    services: dict[str, Any], name: str
) -> None:
    # then
    assert services[name]["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }


def test_migrate_is_a_one_shot_job_after_the_database(services: dict[str, Any]) -> None:
    # given
    migrate = services["migrate"]

    # then
    assert command_of(migrate) == "python manage.py migrate --noinput"
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"] == {"condition": "service_healthy"}
    assert "healthcheck" not in migrate


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("web", r"^gunicorn billing\.wsgi(:application)? "),
        ("worker", r"^celery -A billing worker\b"),
        (
            "beat",
            r"^celery -A billing beat\b.*--scheduler[= ]django_celery_beat\.schedulers:DatabaseScheduler",
        ),
    ],
)
def test_app_service_commands(services: dict[str, Any], name: str, pattern: str) -> None:
    # then
    assert re.search(pattern, command_of(services[name]))


@pytest.mark.parametrize("name", [*APP_SERVICES, "migrate"])
def test_app_services_get_their_configuration_from_the_environment(
    services: dict[str, Any], name: str
) -> None:
    # given
    environment = services[name]["environment"]

    # then
    assert set(REQUIRED_APP_ENV) <= set(environment)
    assert environment["DJANGO_DEBUG"] == "0"
    assert environment["DJANGO_SETTINGS_MODULE"] == "billing.settings.base"
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert environment["AUDIT_CHAIN_KEY"].startswith("${AUDIT_CHAIN_KEY:?")
    assert environment["ALLOWED_HOSTS"].startswith("${ALLOWED_HOSTS:?")
    assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]
    assert environment["DATABASE_URL"].endswith("@postgres:5432/parity")
    assert environment["REDIS_URL"] == "redis://redis:6379/0"


def secret_like_values(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Every (path, value) whose key names a secret, anywhere in the file."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}"
            if isinstance(value, str) and any(word in str(key).upper() for word in SECRET_WORDS):
                found.append((child, value))
            found.extend(secret_like_values(value, child))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(secret_like_values(value, f"{path}[{index}]"))
    return found


def test_no_secret_is_written_in_the_compose_file(compose: dict[str, Any]) -> None:
    # given
    secrets = secret_like_values(compose)

    # then: each secret value is a required reference (or an optional one, empty by default),
    # never a literal or a default
    assert {path for path, _ in secrets} >= {
        ".services.postgres.environment.POSTGRES_PASSWORD",
        ".services.web.environment.SECRET_KEY",
        ".services.web.environment.AUDIT_CHAIN_KEY",
    }
    for path, value in secrets:
        assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]*\}|\$\{[A-Z_]+:-\}", value), path


def test_passwords_inside_urls_are_required_references() -> None:
    # given
    text = (ROOT / "docker-compose.yml").read_text()

    # then: any user:password@ in a URL is interpolated, not literal
    for match in re.finditer(r"://[^:/@\s]+:([^@\s]+)@", text):
        assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]*\}", match.group(1))


def test_dockerfile_builds_a_slim_non_root_image_with_static_files() -> None:
    # given
    dockerfile = (ROOT / "Dockerfile").read_text()
    instructions = [line for line in dockerfile.splitlines() if line and not line.startswith("#")]

    # then
    assert instructions[0] == "FROM python:3.11-slim"
    assert "libpango-1.0-0" in dockerfile
    assert "libpangoft2-1.0-0" in dockerfile
    assert "manage.py collectstatic --noinput" in dockerfile
    user_lines = [line for line in instructions if line.startswith("USER ")]
    assert user_lines == ["USER parity"]
    assert instructions.index("USER parity") > next(
        index for index, line in enumerate(instructions) if "collectstatic" in line
    )
    assert not re.search(r"^ENV .*SECRET_KEY", dockerfile, flags=re.MULTILINE)


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image() -> None:
    # given
    ignored = set((ROOT / ".dockerignore").read_text().split())

    # then
    assert {".git", ".venv", ".env", "db.sqlite3", "staticfiles"} <= ignored
