"""Medicare and the HCPCS codes it does not pay (issue 8, item 5).

H codes (state Medicaid mental-health and substance-use services), T codes (state Medicaid
agencies) and S codes (private payers) are not payable on a Medicare professional claim. The
families and their reasons are data: `claims/data/medicare_not_payable.json`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from claims.domain.scrubber.common import ScrubCode, billed_lines, error
from claims.domain.types import ClaimToBe
from core.domain.problems import Problem

DATA_PACKAGE = "claims.data"
DATA_FILE = "medicare_not_payable.json"


@dataclass(frozen=True, slots=True)
class MedicareNotPayable:
    families: Mapping[str, str]  # first letter -> why Medicare does not pay it
    exceptions: frozenset[str]

    def reason(self, code: str) -> str | None:
        code = code.strip().upper()
        if not code or code in self.exceptions:
            return None
        return self.families.get(code[0])


def parse_not_payable(raw: Mapping[str, object]) -> MedicareNotPayable:
    families = raw.get("families")
    exceptions = raw.get("except", [])
    if not isinstance(families, Mapping) or not all(
        isinstance(k, str) and len(k) == 1 and isinstance(v, str) and v for k, v in families.items()
    ):
        raise ValueError("families: one letter -> a reason")
    if not isinstance(exceptions, list) or not all(isinstance(c, str) for c in exceptions):
        raise ValueError("except: a list of codes")
    return MedicareNotPayable(
        families={str(k).upper(): str(v) for k, v in families.items()},
        exceptions=frozenset(c.strip().upper() for c in exceptions),
    )


@cache
def medicare_not_payable() -> MedicareNotPayable:
    text = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_not_payable(json.loads(text))


def check_medicare_codes(claim: ClaimToBe) -> list[Problem]:
    coverage = claim.coverage
    if coverage is None or not coverage.is_medicare:
        return []
    table = medicare_not_payable()
    problems: list[Problem] = []
    for index, line in billed_lines(claim):
        reason = table.reason(line.code)
        if reason is None:
            continue
        problems.append(
            error(
                ScrubCode.MEDICARE_CODE_NOT_PAYABLE,
                f"Medicare ({coverage.payer_name}) does not pay {line.code}: {reason}.",
                f"lines[{index}].code",
                "Bill the CPT code for the service when Medicare covers it and the clinician may render it, "
                "or bill the patient's other coverage (Medicaid) for this code.",
            )
        )
    return problems
