"""`{% eligibility_panel patient_id %}`: the patient screen's eligibility panel (patients sits
below eligibility, so its template includes the panel by tag rather than its view importing it)."""

from __future__ import annotations

from typing import Any

from django import template

from accounts.domain.roles import Capability
from eligibility import selectors

register = template.Library()


@register.inclusion_tag("eligibility/_panel.html", takes_context=True)
def eligibility_panel(context: dict[str, Any], patient_id: int) -> dict[str, Any]:
    request = context.get("request")
    access = getattr(request, "practice_access", None)
    if access is None or not access.can(Capability.COVERAGE_VIEW):
        return {"panels": None}
    return {
        "panels": selectors.eligibility_panels_for_user(access=access, patient_id=patient_id, audit=False),
        "patient_id": patient_id,
        "can_verify": access.can(Capability.COVERAGE_EDIT),
        "estimates": selectors.estimate_links(practice_id=access.practice_id, patient_id=patient_id)
        if access.can(Capability.BILLING_VIEW)
        else [],
        "show_history": False,
        "csrf_token": context.get("csrf_token"),
    }
