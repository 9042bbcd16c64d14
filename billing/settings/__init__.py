"""Settings modules: `base` (environment-driven, the default everywhere) and `test`.

Integrations live in their own modules (api, celery, logging, security), imported by `base`.
"""
