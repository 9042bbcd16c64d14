"""Permission-matrix entries for the payer-rules screens (`payers:detail`, `payers:rule_set_*`).

Each value holds the keyword arguments of `tests.test_permission_matrix.Entry`; that module merges
them into MATRIX. Billers and admins read a payer's rules and use "try it"; only admins add or
edit versions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from payer_rules.models import PayerRuleSet

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")
PAYER_READERS = ("biller", "practice_admin")
ADMIN = ("practice_admin",)


def _only(*allowed: str) -> dict[str, str]:
    return {role: "ok" if role in allowed else "deny" for role in ROLES}


def _payer(g: dict[str, Any]) -> dict[str, Any]:
    return {"payer_pk": g["payer"].pk}


def _rule_set(g: dict[str, Any]) -> dict[str, Any]:
    rule_set, _ = PayerRuleSet.objects.get_or_create(payer=g["payer"], effective_from=date(2025, 1, 1))
    return {"payer_pk": g["payer"].pk, "rule_set_id": rule_set.pk}


ENTRIES: dict[str, dict[str, Any]] = {
    "payers:detail": {"access": _only(*PAYER_READERS), "kwargs": _payer},
    "payers:rule_set_detail": {"access": _only(*PAYER_READERS), "kwargs": _rule_set},
    "payers:rule_set_create": {"access": _only(*ADMIN), "kwargs": _payer},
    "payers:rule_set_edit": {"access": _only(*ADMIN), "kwargs": _rule_set},
}
