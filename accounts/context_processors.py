"""The navigation a signed-in user sees: built from capabilities, not roles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from accounts.domain.roles import ROLE_LABELS, Capability

# (label, url name, capability needed)
NAVIGATION: list[tuple[str, str, Capability | None]] = [
    ("Home", "home", None),
    ("Patients", "patients:list", Capability.PATIENT_VIEW),
    ("Schedule", "scheduling:day", Capability.SCHEDULE_VIEW),
    ("My day", "clinical_notes:my_day", Capability.CLINICAL_VIEW),
    ("Notes", "clinical_notes:list", Capability.CLINICAL_VIEW),
    ("Co-sign queue", "clinical_notes:cosign_queue", Capability.NOTE_COSIGN),
    ("Final notes", "clinical_notes:list", Capability.BILLING_VIEW),
    ("Billing dashboard", "billing_dashboard:dashboard", Capability.BILLING_VIEW),
    ("Patient balances", "patient_billing:ar", Capability.BILLING_VIEW),
    ("Charges", "charges:list", Capability.BILLING_VIEW),
    ("Claims", "claims:list", Capability.BILLING_VIEW),
    ("ERAs", "remittance:era_list", Capability.BILLING_VIEW),
    ("Denials", "denials:queue", Capability.BILLING_VIEW),
    ("Background jobs", "dashboard:jobs", Capability.BILLING_VIEW),
    ("Providers", "practice:provider_list", Capability.PROVIDER_VIEW),
    ("Authorizations", "authorizations:list", Capability.BILLING_VIEW),
    ("Before the session", "eligibility:problems", Capability.COVERAGE_EDIT),
    ("Fees", "estimates:fees", Capability.BILLING_VIEW),
    ("Good Faith Estimates", "estimates:gfe_list", Capability.BILLING_VIEW),
    ("Payers", "payers:list", Capability.PAYER_VIEW),
    ("Team", "practice:team", Capability.PRACTICE_MANAGE),
    ("Audit log", "audit:event_list", Capability.AUDIT_VIEW),
]


def _second_factor_passed(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)  # set by OTPMiddleware
    return bool(is_verified is not None and is_verified())


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu and the practice names, shown only once the user has passed the second factor."""
    access = getattr(request, "practice_access", None)
    if access is None or not _second_factor_passed(request):
        return {"nav_items": [], "practice_access": None, "session_idle_seconds": settings.SESSION_COOKIE_AGE}
    items: list[dict[str, Any]] = []
    for label, name, capability in NAVIGATION:
        if capability is not None and not access.can(capability):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # TODO(foundation): remove once every app's screens exist
            continue
        items.append({"label": label, "url": url, "active": False})
    # One entry is current: the longest menu URL the path starts with (/billing/patients/ is
    # "Patient balances", not also "Billing dashboard"); "Home" only on the home page itself.
    matches = [item for item in items if request.path.startswith(item["url"]) and item["url"] != "/"]
    matches += [item for item in items if item["url"] == "/" == request.path]
    if matches:
        max(matches, key=lambda item: len(str(item["url"])))["active"] = True
    return {
        "nav_items": items,
        "practice_access": access,
        "role_label": ROLE_LABELS[access.role],
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
    }
