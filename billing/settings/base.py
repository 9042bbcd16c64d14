"""Environment-driven settings with safe defaults (STYLE.md §20).

No DATABASE_URL → SQLite file; no REDIS_URL → Celery tasks run in-process.
SECRET_KEY comes from the environment; a generated development key only when DEBUG is on.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

_secret = env("SECRET_KEY", default="")
if not _secret:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is off.")
    _secret = "dev-only-insecure-" + "x" * 50  # noqa: S105 - development only, guarded by DEBUG
SECRET_KEY = _secret

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_celery_beat",
    "django_celery_results",
    # Parity apps, lower layers first
    "core",
    "accounts",
    "audit",
    "practice",
    "payers",
    "payer_rules",
    "patients",
    "scheduling",
    "treatment_plans",
    "clinical_notes",
    "coding",
    "authorizations",
    "eligibility",
    "claims",
    "ledger",
    "estimates",
    "remittance",
    "denials",
    "dashboard",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.NoStoreForSignedInMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.MfaRequiredMiddleware",
    "practice.middleware.CurrentPracticeMiddleware",
    "audit.middleware.OutOfRangeIdMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "billing.urls"
WSGI_APPLICATION = "billing.wsgi.application"
ASGI_APPLICATION = "billing.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: 15-minute idle timeout (every request renews the cookie), rotated on login.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=15 * 60)
# Load heavy reference data (the ICD-10-CM catalog) in the background when a server starts.
WARM_UP_ON_START = env.bool("WARM_UP_ON_START", default=False)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): lock a username+IP after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Parity"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Clinical documentation: a note waiting this many days for its co-signature is overdue
# (highlighted in the supervisor's queue; the daily beat job emails a reminder).
COSIGN_OVERDUE_DAYS = env.int("COSIGN_OVERDUE_DAYS", default=3)
# A session's note is due this many days after the date of service; later is "late" (home
# pages, the co-sign queue, and a warning to the author before signing).
NOTE_DUE_DAYS = env.int("NOTE_DUE_DAYS", default=3)

# Remittance (R19): a payer with claims submitted, accepted or paid in the last
# ERA_SILENCE_CLAIM_WINDOW_DAYS but no ERA for ERA_SILENCE_DAYS raises a billing dashboard alert.
ERA_SILENCE_DAYS = env.int("ERA_SILENCE_DAYS", default=21)
ERA_SILENCE_CLAIM_WINDOW_DAYS = env.int("ERA_SILENCE_CLAIM_WINDOW_DAYS", default=60)

# Eligibility (issue #10): the deployment's clearinghouse for practices that chose none. The
# sandbox (synthetic test members) is the default only with DEBUG on; with DEBUG off it is
# refused (system check eligibility.E001 and at run time) unless ELIGIBILITY_SANDBOX_ALLOWED is
# set for a demo. Every screen that shows its results labels them "Sandbox".
ELIGIBILITY_CLEARINGHOUSE = env("ELIGIBILITY_CLEARINGHOUSE", default="sandbox" if DEBUG else "")
ELIGIBILITY_SANDBOX_ALLOWED = env.bool("ELIGIBILITY_SANDBOX_ALLOWED", default=False)
ELIGIBILITY_SANDBOX_LATENCY_MS = env.int("ELIGIBILITY_SANDBOX_LATENCY_MS", default=0)
# Where private keys (and their passphrases) pasted on the eligibility settings screen are
# written, one 0600 file each, outside the database (docs/decisions/0036).
SFTP_KEYS_DIR = env("SFTP_KEYS_DIR", default=str(BASE_DIR / "var" / "sftp-keys"))

# Claims (issue #11): the deployment's claims clearinghouse. The sandbox (test members only,
# clearinghouse.sandbox_claims) follows the eligibility sandbox's rule: the default only with
# DEBUG on; with DEBUG off refused (system check eligibility.E002) unless CLAIMS_SANDBOX_ALLOWED
# is set for a demo. Its mailbox directory is shared by the web process and the Celery workers.
CLAIMS_CLEARINGHOUSE = env("CLAIMS_CLEARINGHOUSE", default="sandbox" if DEBUG else "")
CLAIMS_SANDBOX_ALLOWED = env.bool("CLAIMS_SANDBOX_ALLOWED", default=False)
CLAIMS_SANDBOX_DIR = env("CLAIMS_SANDBOX_DIR", default=str(BASE_DIR / "var" / "clearinghouse-sandbox"))
CLAIMS_SANDBOX_LATENCY_MS = env.int("CLAIMS_SANDBOX_LATENCY_MS", default=0)
# Submission and acknowledgements: a submitted claim with no 999 after CLAIMS_ACK_999_DAYS, or
# no payer 277CA after CLAIMS_ACK_277CA_DAYS, is flagged "no acknowledgement" (pitfall K7); a
# rejection older than CLAIMS_REJECTION_ALERT_DAYS is overdue in the rejection queue (K6).
CLAIMS_ACK_999_DAYS = env.int("CLAIMS_ACK_999_DAYS", default=2)
CLAIMS_ACK_277CA_DAYS = env.int("CLAIMS_ACK_277CA_DAYS", default=7)
CLAIMS_REJECTION_ALERT_DAYS = env.int("CLAIMS_REJECTION_ALERT_DAYS", default=5)

# Email goes to the console unless configured (tests use Django's locmem backend).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Parity <noreply@parity.invalid>")

from billing.settings.api import *  # noqa: E402, F403
from billing.settings.celery import *  # noqa: E402, F403
from billing.settings.logging import *  # noqa: E402, F403
from billing.settings.security import *  # noqa: E402, F403
