# Parity application image: web (gunicorn), Celery worker and beat, and the one-shot migrate job
# all run this image with different commands (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=billing.settings.base

# WeasyPrint (PDF statements, letters, CMS-1500) needs Pango and a font at run time; no -dev packages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 parity \
    && useradd --system --uid 10001 --gid parity --home-dir /app --shell /usr/sbin/nologin parity

WORKDIR /app

# Dependencies first (their own layer, rebuilt only when pyproject.toml changes). The project itself
# runs from /app rather than site-packages, so that BASE_DIR finds templates/ and static/.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Static files are baked into the image (served by WhiteNoise). The key below exists only for this
# build step: settings refuse to load without one when DEBUG is off. The real key comes from the
# environment at run time (docker-compose.yml requires SECRET_KEY).
RUN SECRET_KEY=build-time-only-not-a-secret-collectstatic-xxxxxxxxxxxxxxxxxxxx DJANGO_DEBUG=0 \
        AUDIT_CHAIN_KEY=build-time-only-not-a-secret-collectstatic-xxxx \
        python manage.py collectstatic --noinput -v0

# The audit chain's checkpoint file lives on a volume the app user may append to.
RUN mkdir -p /var/lib/parity/audit && chown parity:parity /var/lib/parity/audit

# Code and static files stay root-owned and read-only for the app user.
USER parity

EXPOSE 8000
CMD ["gunicorn", "billing.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-", "--access-logformat", "%(h)s %(t)s \"%(m)s %(U)s %(H)s\" %(s)s %(B)s %(L)s"]
