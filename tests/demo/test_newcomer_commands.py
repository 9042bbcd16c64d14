"""The README's newcomer commands: demo_totp in a fresh terminal, and seed_demo's sign-in address.

demo_totp runs in a fresh process with nothing in its environment but PATH/HOME and the test
database, as in a second terminal; production-like commands still refuse to start without SECRET_KEY.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from billing.celery import app as celery_app
from demo.constants import DEMO_TOTP_BASE32, DEMO_TOTP_KEY_HEX
from demo.management.commands.seed_demo import sign_in_url
from tests.factories import UserFactory

SECRET_KEY_REFUSAL = (
    "django.core.exceptions.ImproperlyConfigured: SECRET_KEY must be set when DJANGO_DEBUG is off."
)


ROOT = Path(__file__).resolve().parents[2]


def fresh_terminal(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python <args>` in the repository with only PATH/HOME/LANG/TMPDIR inherited, plus `env`."""
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    return subprocess.run(
        [sys.executable, *args],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _test_database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_demo_totp_prints_the_code_in_a_fresh_terminal_without_debug_or_secret_key() -> None:
    # given: a demo account holding the demo key, committed where a second process can read it
    user = UserFactory(username="demo-biller")
    device = TOTPDevice.objects.create(user=user, name="demo", key=DEMO_TOTP_KEY_HEX, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    started = time.time()

    # when: no DJANGO_DEBUG and no SECRET_KEY in the environment
    result = fresh_terminal("manage.py", "demo_totp", env={"DATABASE_URL": _test_database_url()})
    # the code may roll over (more than once on a busy machine) while the process runs
    possible = set()
    for moment in range(int(started), int(time.time()) + 1):
        totp.time = moment
        possible.add(f"{totp.token():06d}")

    # then
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    match = re.fullmatch(
        rf"Current code: (\d{{6}})  \(valid ~30 s; key {DEMO_TOTP_BASE32}\)\nAccounts: demo-biller\n",
        result.stdout,
    )
    assert match is not None, result.stdout
    assert match.group(1) in possible


def test_demo_totp_still_refuses_without_secret_key_when_debug_is_explicitly_off() -> None:
    # when
    result = fresh_terminal("manage.py", "demo_totp", env={"DJANGO_DEBUG": "0"})

    # then
    assert result.returncode == 1
    assert result.stdout == ""
    assert SECRET_KEY_REFUSAL in result.stderr


def test_demo_totp_on_a_database_never_set_up_says_what_to_run(tmp_path: Path) -> None:
    # when: a fresh terminal, before `make run` ever created the database
    result = fresh_terminal(
        "manage.py", "demo_totp", env={"DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}"}
    )

    # then
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == "No demo database. Run `make run` (or migrate, then seed_demo) first.\n"


@pytest.mark.parametrize(
    ("_case", "command"),
    [("check", ["check"]), ("migrate", ["migrate", "--plan"]), ("the seed", ["seed_demo", "--help"])],
)
def test_other_commands_still_refuse_to_start_without_secret_key(
    _case: str, command: list[str], tmp_path: Path
) -> None:
    # when: the same fresh terminal, any command but the demo code printer
    result = fresh_terminal(
        "manage.py", *command, env={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    )

    # then
    assert result.returncode == 1
    assert result.stdout == ""
    assert SECRET_KEY_REFUSAL in result.stderr


def test_the_wsgi_application_refuses_to_start_without_secret_key() -> None:
    # when: how a production server loads the app, with no SECRET_KEY and DEBUG unset
    result = fresh_terminal("-c", "import billing.wsgi", env={})

    # then
    assert result.returncode == 1
    assert SECRET_KEY_REFUSAL in result.stderr


@pytest.mark.parametrize(
    ("_case", "environ", "expected"),
    [
        ("defaults", {}, "http://127.0.0.1:8000/"),
        ("make run PORT=8123", {"HOST": "127.0.0.1", "PORT": "8123"}, "http://127.0.0.1:8123/"),
        ("another host", {"HOST": "localhost", "PORT": "9000"}, "http://localhost:9000/"),
        ("listening on every address", {"HOST": "0.0.0.0", "PORT": "8080"}, "http://127.0.0.1:8080/"),  # noqa: S104
        ("an IPv6 address", {"HOST": "::1", "PORT": "8000"}, "http://[::1]:8000/"),
        ("empty values", {"HOST": "", "PORT": ""}, "http://127.0.0.1:8000/"),
    ],
)
def test_sign_in_url_follows_host_and_port(_case: str, environ: dict[str, str], expected: str) -> None:
    assert sign_in_url(environ) == expected


@pytest.fixture
def eager_tasks():  # type: ignore[no-untyped-def]
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.mark.django_db
def test_seed_demo_prints_the_port_it_was_given(
    monkeypatch: pytest.MonkeyPatch,
    eager_tasks: None,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    # given: `make run PORT=8123` passes HOST and PORT to the seed
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("PORT", "8123")
    out = io.StringIO()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=out)

    # then
    lines = out.getvalue().splitlines()
    assert "Sign in at http://127.0.0.1:8123/ with any of these (password for all):" in lines
    assert not any("8000" in line for line in lines)
