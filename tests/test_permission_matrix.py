"""Every URL route × every role (and anonymous): who may reach it.

A new route with no entry in MATRIX fails `test_every_route_has_a_matrix_entry`; each entry is
then exercised for all seven principals. Expectations:
  OK     – the page or endpoint answers 2xx (or redirects somewhere other than sign-in)
  DENY   – 403, or 404 where hiding existence is the point
  LOGIN  – anonymous: redirect to sign-in (screens) or 401/403 (API)
Routes taking ids are filled from one shared practice graph built in the fixture below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.audit.matrix_entries import ENTRIES as AUDIT_ENTRIES
from tests.authorizations.matrix_entries import ENTRIES as AUTHORIZATION_ENTRIES
from tests.claims.claim_matrix_entries import ENTRIES as CLAIM_ENTRIES
from tests.claims.matrix_entries import ENTRIES as CHARGE_ENTRIES
from tests.clinical_notes.matrix_entries import ENTRIES as NOTE_ENTRIES
from tests.dashboard.matrix_entries import ENTRIES as JOB_ENTRIES
from tests.denials.matrix_entries import ENTRIES as DENIAL_ENTRIES
from tests.eligibility.matrix_entries import ENTRIES as ELIGIBILITY_ENTRIES
from tests.estimates.matrix_entries import ENTRIES as ESTIMATE_ENTRIES
from tests.factories import CoverageFactory, PatientFactory, PayerFactory, ProviderFactory
from tests.ledger.billing.matrix_entries import ENTRIES as PATIENT_BILLING_ENTRIES
from tests.patients.matrix_entries import ENTRIES as PATIENT_ENTRIES
from tests.payer_rules.matrix_entries import ENTRIES as PAYER_RULE_ENTRIES
from tests.practice.matrix_entries import ENTRIES as PRACTICE_PAYER_ENTRIES
from tests.remittance.matrix_entries import ENTRIES as REMITTANCE_ENTRIES
from tests.scheduling.matrix_entries import ENTRIES as SCHEDULING_ENTRIES
from tests.treatment_plans.matrix_entries import ENTRIES as PLAN_ENTRIES

OK, DENY, LOGIN = "ok", "deny", "login"
ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")
EVERYONE = dict.fromkeys(ROLES, OK)


def only(*allowed: str) -> dict[str, str]:
    return {role: OK if role in allowed else DENY for role in ROLES}


@dataclass(frozen=True)
class Entry:
    access: dict[str, str]
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda graph: {})
    method: str = "get"
    anonymous: str = LOGIN
    data: Callable[[dict[str, Any]], dict[str, Any]] | None = None  # request body (JSON for /api/)


# Routes that are not part of the practice application (framework pages) or that are
# exercised by their own tests (sign-in flow).
EXEMPT_PREFIXES = ("admin:", "accounts:", "healthz")

CLINICAL = ("technician", "clinician", "supervisor")
PATIENT_READERS = (*CLINICAL, "biller", "practice_admin")
COVERAGE_READERS = ("clinician", "supervisor", "biller", "practice_admin")

MATRIX: dict[str, Entry] = {
    "home": Entry(EVERYONE),
    "schema": Entry(EVERYONE),
    "docs": Entry(EVERYONE),
    "favicon": Entry(EVERYONE, anonymous=OK),  # a redirect to the static icon, before sign-in too
}
MATRIX.update({name: Entry(**spec) for name, spec in PRACTICE_PAYER_ENTRIES.items()})
MATRIX.update({name: Entry(**spec) for name, spec in PATIENT_ENTRIES.items()})
MATRIX.update({name: Entry(**spec) for name, spec in NOTE_ENTRIES.items()})
MATRIX.update({name: Entry(**spec) for name, spec in SCHEDULING_ENTRIES.items()})
MATRIX.update({name: Entry(**spec) for name, spec in AUDIT_ENTRIES.items()})
MATRIX.update({name: Entry(**spec) for name, spec in CHARGE_ENTRIES.items()})
MATRIX.update({name: Entry(**spec) for name, spec in PAYER_RULE_ENTRIES.items()})
MATRIX.update({name: Entry(**spec) for name, spec in AUTHORIZATION_ENTRIES.items()})
MATRIX.update({name: Entry(**spec) for name, spec in JOB_ENTRIES.items()})
MATRIX.update({name: Entry(**spec) for name, spec in PLAN_ENTRIES.items()})
MATRIX.update({name: Entry(**spec) for name, spec in ELIGIBILITY_ENTRIES.items()})
MATRIX.update({name: Entry(**spec) for name, spec in ESTIMATE_ENTRIES.items()})
MATRIX.update({name: Entry(**spec) for name, spec in REMITTANCE_ENTRIES.items()})
MATRIX.update({name: Entry(**spec) for name, spec in CLAIM_ENTRIES.items()})
MATRIX.update({name: Entry(**spec) for name, spec in DENIAL_ENTRIES.items()})
MATRIX.update({name: Entry(**spec) for name, spec in PATIENT_BILLING_ENTRIES.items()})


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            child_ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, child_ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def all_route_names() -> set[str]:
    return {name for name in _walk(get_resolver().url_patterns) if not name.startswith(EXEMPT_PREFIXES)}


def test_every_route_has_a_matrix_entry():
    missing = sorted(all_route_names() - MATRIX.keys())
    stale = sorted(MATRIX.keys() - all_route_names())
    assert missing == [], f"Routes without a permission-matrix entry: {missing}"
    assert stale == [], f"Matrix entries for routes that no longer exist: {stale}"


@pytest.fixture
def graph(practice, other_practice, make_member):
    members = {role: make_member(role, practice, provider=role in CLINICAL) for role in ROLES}
    tech_provider = members["technician"].provider_profiles.get()
    patient = PatientFactory(practice=practice)
    patient.care_team.create(provider=tech_provider)
    coverage = CoverageFactory(patient=patient, payer=PayerFactory(practice=practice))
    provider = ProviderFactory(practice=practice)
    return {
        "members": members,
        "practice": practice,
        "patient": patient,
        "coverage": coverage,
        "payer": coverage.payer,
        "provider": provider,
        "other_patient": PatientFactory(practice=other_practice),
    }


def _outcome(response: Any, *, is_api: bool) -> str:
    status = response.status_code
    if status in (401,) or (status == 302 and "/accounts/login/" in response.get("Location", "")):
        return LOGIN
    data = getattr(response, "data", None)
    if status == 403 and is_api and isinstance(data, dict) and data.get("code") == "not_authenticated":
        return LOGIN
    if status in (403, 404):
        return DENY
    if status < 400:
        return OK
    raise AssertionError(f"unexpected status {status}")


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_route_access_for_every_role(route, graph, client_for, client):
    entry = MATRIX[route]
    url = reverse(route, kwargs=entry.kwargs(graph))
    is_api = url.startswith("/api/")
    results = {}

    def call(http: Any) -> Any:
        if entry.data is None:
            return getattr(http, entry.method)(url)
        extra = {"content_type": "application/json"} if is_api else {}
        return getattr(http, entry.method)(url, entry.data(graph), **extra)

    anonymous = call(client)
    results["anonymous"] = _outcome(anonymous, is_api=is_api)
    for role in ROLES:
        response = call(client_for(graph["members"][role]))
        results[role] = _outcome(response, is_api=is_api)
    expected = {"anonymous": entry.anonymous, **entry.access}
    assert results == expected
