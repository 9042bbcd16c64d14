"""Shared fixtures. Faker and factory randomness are seeded once per session."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import factory.random
import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

# Playwright's event loop runs in the main thread; the ORM must still work in e2e tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from accounts.models import User  # noqa: E402
from coding.selectors import code_catalog_forget, loaded_years_forget  # noqa: E402
from tests.factories import MembershipFactory, PracticeFactory, ProviderFactory, UserFactory  # noqa: E402

DEMO_PASSWORD = "correct-horse-battery"
TOTP_KEY_HEX = "3132333435363738393031323334353637383930"  # RFC 6238 test key


@pytest.fixture(autouse=True, scope="session")
def _seed_randomness() -> None:
    factory.random.reseed_random("parity-tests")


@pytest.fixture(autouse=True)
def _fresh_code_catalog() -> Iterator[None]:
    """Each test starts without the process's cached code catalog and list of imported ICD-10-CM
    years (tests write code sets directly, and a rolled-back import leaves no on-commit forget)."""
    code_catalog_forget()
    loaded_years_forget()
    yield
    code_catalog_forget()
    loaded_years_forget()


@pytest.fixture(autouse=True)
def _private_audit_anchor(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Each test's audit checkpoints go to a file of its own (the database is rolled back; a
    shared file would pin hashes of chains that no longer exist)."""
    settings.AUDIT_ANCHOR_PATH = str(tmp_path / "audit-anchor.jsonl")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):  # type: ignore[no-untyped-def]
    """pytest-playwright: drive Debian's Chromium (Playwright's own download cannot work here)."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def practice(db):  # type: ignore[no-untyped-def]
    return PracticeFactory()


@pytest.fixture
def other_practice(db):  # type: ignore[no-untyped-def]
    return PracticeFactory()


@pytest.fixture
def make_member(db) -> Callable[..., User]:  # type: ignore[no-untyped-def]
    """make_member(role, practice, provider=False): a user with a membership (and a provider)."""

    def _make(
        role: str, practice, *, provider: bool = False, credential: str = "LPC", username: str | None = None
    ) -> User:  # type: ignore[no-untyped-def]
        user = UserFactory(**({"username": username} if username else {}))
        MembershipFactory(user=user, practice=practice, role=role)
        if provider:
            ProviderFactory(practice=practice, user=user, credential=credential)
        TOTPDevice.objects.create(user=user, name="test", key=TOTP_KEY_HEX, confirmed=True)
        return user

    return _make


def verified_client(user: User) -> Client:
    """A test client signed in as `user` with MFA passed."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    return verified_client


@pytest.fixture(autouse=True, scope="session")
def _nothing_left_in_redis():  # type: ignore[no-untyped-def]
    """The suite leaves no key behind in $REDIS_URL's database (a queued message there would be
    run by the next `make worker`, against whatever database that worker points at). Tasks run
    in-process in tests; worker tests use a Redis server of their own (tests.workers)."""
    url = os.environ.get("REDIS_URL")
    if not url:
        yield
        return
    import redis

    client = redis.Redis.from_url(url)
    before = set(client.keys("*"))
    yield
    left = sorted(set(client.keys("*")) - before)
    assert left == [], f"The test run left keys in {url}: {left[:10]}"
