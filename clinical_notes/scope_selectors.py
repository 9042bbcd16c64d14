"""Who may give which service for the note's patient and payer (the editor's warning before
signing, and its service list with the author's permitted services first).

The answer is coding's (`coding.domain.crosswalk.service_scope`, which asks the one
who-may-render rule, `coding.domain.scope_of_practice.scope_decision`) under the payer's rules on
the date of service (`payer_rules.selectors.payer_policy_on`): the same rule the scrubber applies
to the charges later. Configuration reads only; no PHI leaves (the payer's name, the service).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coding.domain.crosswalk import service_scope
from coding.domain.types import PayerCodingRules
from core.domain.service_types import SERVICE_TYPE_LABELS, ServiceType
from patients.selectors import primary_billed_coverage_on
from payer_rules.selectors import payer_policy_on


@dataclass(frozen=True, slots=True)
class NotePayerScope:
    """`warning`/`fix_hint`: "" when the chosen service is paid for the author's credential.
    `permitted`: the service types (values) the author may give for this payer."""

    payer_name: str
    warning: str
    fix_hint: str
    permitted: frozenset[str]


def note_payer_scope(*, patient_id: int, day: date, credential: str, service_type: str) -> NotePayerScope:
    """Two queries (the primary coverage on `day`, the payer's rules in force)."""
    coverage = primary_billed_coverage_on(patient_id=patient_id, on=day)
    if coverage is None:
        rules, payer_name = PayerCodingRules(label="Self-pay (CPT rules)"), ""
    else:
        rules = payer_policy_on(payer_pk=coverage.payer_id, on=day).coding
        payer_name = coverage.payer_name
    permitted = frozenset(s.value for s in ServiceType if service_scope(s, credential, rules).allowed)
    chosen = service_scope(ServiceType(service_type), credential, rules)
    warning = ""
    if not chosen.allowed:
        who = f"{payer_name} will" if payer_name else "Payers generally will"
        warning = (
            f"{who} not pay {SERVICE_TYPE_LABELS[ServiceType(service_type)].lower()} "
            f"({chosen.code}) when you document it: {chosen.message}"
        )
    return NotePayerScope(
        payer_name=payer_name, warning=warning, fix_hint=chosen.fix_hint, permitted=permitted
    )
