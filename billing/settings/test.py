"""Test settings: the base settings with fast hashing and a private Redis queue."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "t" * 40)
# The audit chain key tests seal and verify with (the development key; see security.py).
os.environ.setdefault("AUDIT_CHAIN_KEY", "parity-development-audit-chain-key-not-a-secret")

from billing.settings.base import *  # noqa: E402, F403

# Tasks run in-process in every test, so no test leaves a message in Redis for a later worker to
# run against some other database. Tests with a real worker turn this off around their worker
# and use a queue (or a Redis server) of their own.
CELERY_TASK_ALWAYS_EAGER = True

# Tests run with DEBUG off and check eligibility against the sandbox payer.
ELIGIBILITY_CLEARINGHOUSE = "sandbox"
ELIGIBILITY_SANDBOX_ALLOWED = True
# A worker test may name its own test clearinghouse (tests/claims/fake_clearinghouse.py).
CLAIMS_CLEARINGHOUSE = os.environ.get("CLAIMS_CLEARINGHOUSE") or "sandbox"
CLAIMS_SANDBOX_ALLOWED = True

# Private keys pasted on the eligibility settings screen go to a private folder per test run.
SFTP_KEYS_DIR = os.path.join(tempfile.gettempdir(), f"parity-test-sftp-keys-{os.getpid()}")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["*"]
AXES_FAILURE_LIMIT = 5
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The audit tables (audit/migrations/0005) and the final-note tables (clinical_notes/migrations/0005)
# refuse TRUNCATE unless a superuser session opts in. Django flushes transactional tests with one
# TRUNCATE of every table, so test connections opt in to both.
TRUNCATE_OPT_INS = ("parity.audit_truncate", "parity.final_note_truncate")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(  # noqa: F405
        f"-c {name}=allow" for name in TRUNCATE_OPT_INS
    )
