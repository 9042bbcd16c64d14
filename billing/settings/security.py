"""Transport and cookie security; strict unless DEBUG (passes `check --deploy`)."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

_env = environ.Env()
_debug = _env.bool("DJANGO_DEBUG", default=False)
_BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not _debug:
    SECURE_SSL_REDIRECT = _env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = _env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# How many reverse proxies in front of the app append to X-Forwarded-For. The audit trail's client
# IP is REMOTE_ADDR when 0 (the header is client-controlled), else the N-th entry from the right.
TRUSTED_PROXY_COUNT = _env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")

# The audit chain's key (HMAC-SHA256, see audit.domain.chain): from the environment, never stored in
# the database. Required when DEBUG is off; `make run` and the tests use a fixed development key.
# After a rotation, list the earlier keys in AUDIT_CHAIN_PREVIOUS_KEYS so older events still verify.
AUDIT_CHAIN_DEV_KEY = "parity-development-audit-chain-key-not-a-secret"  # noqa: S105 - DEBUG/tests only
AUDIT_CHAIN_KEY_MIN_LENGTH = 32
AUDIT_CHAIN_KEY = _env("AUDIT_CHAIN_KEY", default="")
if not AUDIT_CHAIN_KEY:
    if not _debug:
        raise ImproperlyConfigured("AUDIT_CHAIN_KEY must be set when DJANGO_DEBUG is off.")
    AUDIT_CHAIN_KEY = AUDIT_CHAIN_DEV_KEY
elif len(AUDIT_CHAIN_KEY) < AUDIT_CHAIN_KEY_MIN_LENGTH:
    raise ImproperlyConfigured(f"AUDIT_CHAIN_KEY must be at least {AUDIT_CHAIN_KEY_MIN_LENGTH} characters.")
AUDIT_CHAIN_PREVIOUS_KEYS = _env.list("AUDIT_CHAIN_PREVIOUS_KEYS", default=[])

# Where each verification appends its signed checkpoint (JSON lines). Keep it off the database's
# disks and ship it elsewhere (a log collector, WORM storage): the database must not be able to
# rewrite it.
AUDIT_ANCHOR_PATH = _env("AUDIT_ANCHOR_PATH", default=str(_BASE_DIR / "audit-anchor.jsonl"))

# Content-Security-Policy on every response (django-csp): only our own scripts, styles and
# images; no inline scripts, inline styles or event handlers; never framed. Swagger UI is
# served from drf-spectacular-sidecar's static files (docs/decisions/0023).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    },
}
