"""Permission-matrix entries for the audit log: the compliance auditor alone reads it."""

from __future__ import annotations

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")
COMPLIANCE_ONLY = {role: "ok" if role == "compliance" else "deny" for role in ROLES}

ENTRIES: dict[str, dict[str, object]] = {
    "audit:event_list": {"access": COMPLIANCE_ONLY},
    "audit:event_export": {"access": COMPLIANCE_ONLY},
    "audit:chain_verify": {"access": COMPLIANCE_ONLY, "method": "post"},
    "audit_api:event_list": {"access": COMPLIANCE_ONLY},
    # No verification has run in the fixture graph: the compliance user gets 404 ("none yet"),
    # the others 403; both count as "not reachable" — a run is covered in tests/audit.
    "audit_api:verification_latest": {"access": dict.fromkeys(ROLES, "deny")},
}
