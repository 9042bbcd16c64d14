"""Permission-matrix entries for the remittance screens and API: billing staff only (billers and
practice admins read; billers post, match and dismiss)."""

from __future__ import annotations

from typing import Any

from remittance.models import EraFile, PostingException
from remittance.services.posting import era_post
from tests.factories.claims import ClaimFactory, ClaimLineFactory
from tests.remittance.world import NOV1, era

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")
READERS = ("biller", "practice_admin")
EDITORS = ("biller",)


def _only(*allowed: str) -> dict[str, str]:
    return {role: "ok" if role in allowed else "deny" for role in ROLES}


def _era(g: dict[str, Any]) -> EraFile:
    """An ERA posted through the service, whose one claim (CLM01 NOSUCH) matched nothing."""
    if "era" not in g:
        outcome = era_post(
            practice_id=g["practice"].pk,
            raw=era("100.00", "MATRIX1", "CLP*NOSUCH*1*100.00*100.00**12*C1*11*1"),
        )
        g["era"] = EraFile.objects.get(pk=outcome.era_ids[0])
    return g["era"]


def _exception(g: dict[str, Any]) -> dict[str, Any]:
    if "era_exception" not in g:
        g["era_exception"] = PostingException.objects.get(era=_era(g))
    return {"exception_id": g["era_exception"].pk}


def _claim(g: dict[str, Any]) -> dict[str, Any]:
    if "matrix_claim" not in g:
        g["matrix_claim"] = ClaimFactory(
            coverage=g["coverage"], patient_control_number="MATRIXPCN", status="submitted"
        )
    return {"claim_id": g["matrix_claim"].pk, "note": "matrix"}


def _line_exception(g: dict[str, Any]) -> dict[str, Any]:
    """An ERA line (code changed, no REF*6R) that matched no billed line of claim MATRIXLN."""
    if "line_exception" not in g:
        claim = ClaimFactory(coverage=g["coverage"], patient_control_number="MATRIXLN", status="submitted")
        g["matrix_line"] = ClaimLineFactory(
            claim=claim, code="90837", charge_cents=10000, service_date=NOV1, line_control_number="ML1"
        )
        era_post(
            practice_id=g["practice"].pk,
            raw=era(
                "100.00",
                "MATRIX2",
                "CLP*MATRIXLN*1*100.00*100.00*0*12*C2*11*1",
                "SVC*HC:90834*100.00*100.00**1",
                "DTM*472*20261101",
            ),
        )
        g["line_exception"] = PostingException.objects.get(era_claim__patient_control_number="MATRIXLN")
    return {"exception_id": g["line_exception"].pk}


def _lines(g: dict[str, Any]) -> dict[str, Any]:
    era_line = g["line_exception"].era_line
    return {"lines": [{"era_line_id": era_line.pk, "claim_line_id": g["matrix_line"].pk}], "note": "matrix"}


ENTRIES: dict[str, dict[str, Any]] = {
    "remittance:era_list": {"access": _only(*READERS)},
    "remittance:era_upload": {"access": _only(*EDITORS)},
    "remittance:era_detail": {"access": _only(*READERS), "kwargs": lambda g: {"era_id": _era(g).pk}},
    "remittance:exceptions": {"access": _only(*READERS)},
    "remittance:provider_items": {"access": _only(*READERS)},
    # A POST without a reason answers with a redirect (message) for editors: nothing changes.
    "remittance:provider_item_close": {
        "access": _only(*EDITORS),
        "kwargs": lambda g: {"item_id": 999999},
        "method": "post",
    },
    # Without a reason both answer with a redirect and a message for editors: nothing changes.
    "remittance:era_force_post": {
        "access": _only(*EDITORS),
        "kwargs": lambda g: {"era_id": _era(g).pk},
        "method": "post",
    },
    "remittance:era_withdraw": {
        "access": _only(*EDITORS),
        "kwargs": lambda g: {"era_id": _era(g).pk},
        "method": "post",
    },
    "remittance:exception_match": {"access": _only(*EDITORS), "kwargs": _exception},
    "remittance:exception_lines_match": {"access": _only(*EDITORS), "kwargs": _line_exception},
    # A POST without a reason answers with a redirect (message) for editors: nothing changes.
    "remittance:exception_dismiss": {"access": _only(*EDITORS), "kwargs": _exception, "method": "post"},
    "remittance_api:era_list": {"access": _only(*READERS)},
    "remittance_api:era_upload": {
        "access": _only(*EDITORS),
        "method": "post",
        "data": lambda g: {"name": "matrix.835", "x12": "not an 835"},
    },
    "remittance_api:era_detail": {"access": _only(*READERS), "kwargs": lambda g: {"era_id": _era(g).pk}},
    "remittance_api:exceptions": {"access": _only(*READERS)},
    "remittance_api:exception_match": {
        "access": _only(*EDITORS),
        "kwargs": _exception,
        "method": "post",
        "data": _claim,
    },
    "remittance_api:exception_lines_match": {
        "access": _only(*EDITORS),
        "kwargs": _line_exception,
        "method": "post",
        "data": _lines,
    },
    "remittance_api:exception_dismiss": {
        "access": _only(*EDITORS),
        "kwargs": _exception,
        "method": "post",
        "data": lambda g: {"reason": "not our claim"},
    },
}
