"""Logging. Application logs never carry PHI: log ids and codes, never names or values."""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Access lines of the development server name the path only: query strings may carry PHI.
    "filters": {"drop_query_strings": {"()": "core.log_filters.DropQueryStrings"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["drop_query_strings"],
        },
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
    },
}
