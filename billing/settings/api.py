"""Django REST framework and the OpenAPI schema."""

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.api_permissions.IsVerifiedMember"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.ParityAutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler.api_exception_handler",
    # Every list API: ?limit=&offset= (limit 50 by default, at most 200), filters applied first.
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.ParityPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Parity API",
    "DESCRIPTION": "Practice management and insurance billing for behavioral health.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["accounts.api_permissions.IsVerifiedMember"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from our own static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # One name per shared choice set (fields named "kind"/"status" exist in several apps).
    "ENUM_NAME_OVERRIDES": {
        "SexEnum": "patients.domain.types.SEX_CODES",
        "PayerKindEnum": "payers.selectors.KIND_CHOICES",
        "ChargeStatusEnum": "claims.api.STATUSES",
        "ClaimStatusEnum": "claims.api.claim_screens.STATUSES",
        "NoteStatusEnum": "clinical_notes.api.NOTE_STATUSES",
    },
}
