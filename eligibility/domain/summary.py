"""The plain-language benefits summary of one 271 for the service asked about (pure).

`summarize(entry, requested=, service_date=)` reads one parsed `EligibilityTransaction` through
`edi.interpret` (coverage on the date of service, the STC 30 fallback, carve-outs) and keeps
what the screens, the scrubber and "what changed" need, as plain JSON-able values:

- coverage: covered / at_risk / not_covered_on_date / inactive / rejected / payer_unavailable /
  unknown, with the reason;
- in-network copay per visit, deductible (total and left), coinsurance, out-of-pocket (total
  and left), visits (limit, left, used), authorization required;
- `general_only` when the payer answered only at the plan level (pitfall E2: the STC 30 copay is
  shown as "general plan coverage", never as the therapy copay);
- `carve_out` when another organization administers the MH/SUD benefits (pitfall E1: no
  "$0 copay" is shown then);
- every AAA error with its code, description, loop, level and follow-up (pitfall E3).

Money stays Decimal in code and goes to JSON as "20.00" strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from edi.codes import REJECT_HINTS
from edi.interpret import Coverage, benefits_for, carve_out_administrator, coverage_on
from edi.x271 import Benefit, EligibilityTransaction

# Time periods (element 615): 29 "remaining", 23 calendar year, 22 service year, 21 contract,
# 25 contract... Totals are any period other than "remaining"; 27 "visit" is a per-visit amount.
REMAINING = "29"
PER_VISIT = "27"

COVERAGE_LABELS: dict[str, str] = {
    Coverage.COVERED: "Active",
    Coverage.AT_RISK: "Active, at risk",
    Coverage.NOT_COVERED_ON_DATE: "Not covered on the date of service",
    Coverage.INACTIVE: "Inactive",
    Coverage.REJECTED: "Rejected by the payer",
    Coverage.PAYER_UNAVAILABLE: "Payer unavailable, retrying",
    Coverage.UNKNOWN: "Unknown",
}


@dataclass(frozen=True, slots=True)
class Summary:
    coverage: str
    reason: str
    copay: Decimal | None = None
    deductible: Decimal | None = None
    deductible_left: Decimal | None = None
    coinsurance: Decimal | None = None  # 0.2 for 20%
    out_of_pocket: Decimal | None = None
    out_of_pocket_left: Decimal | None = None
    visit_limit: int | None = None
    visits_left: int | None = None
    auth_required: bool = False
    general_only: str = ""
    carve_out: str = ""
    carve_out_payer_id: str = ""  # the administrator's payer ID (NM109), when the 271 gives it
    plan: str = ""
    errors: tuple[dict[str, Any], ...] = ()
    messages: tuple[str, ...] = field(default=())

    @property
    def visits_used(self) -> int | None:
        if self.visit_limit is None or self.visits_left is None:
            return None
        return max(self.visit_limit - self.visits_left, 0)

    @property
    def covered(self) -> bool:
        return self.coverage in (Coverage.COVERED, Coverage.AT_RISK)


def _in_network(benefits: list[Benefit]) -> list[Benefit]:
    """In-network benefits (or those that don't say), in the order the payer sent them."""
    return [b for b in benefits if b.in_network is not False]


def _first(benefits: list[Benefit], eb01: str, *, remaining: bool | None = None) -> Benefit | None:
    for benefit in benefits:
        if benefit.eb01 != eb01:
            continue
        if remaining is True and benefit.time_period != REMAINING:
            continue
        if remaining is False and benefit.time_period == REMAINING:
            continue
        return benefit
    return None


def _amount(benefit: Benefit | None) -> Decimal | None:
    return benefit.amount if benefit is not None else None


def _visits(benefit: Benefit | None) -> int | None:
    if benefit is None or benefit.quantity is None or benefit.quantity_qualifier not in ("VS", None):
        return None
    return int(benefit.quantity)


def _error(error: Any) -> dict[str, Any]:
    return {
        "code": error.code,
        "message": error.message,
        "level": error.level,
        "loop": error.loop,
        "follow_up": error.follow_up_message or "",
        "transient": error.transient,
        "hint": REJECT_HINTS.get(error.code, ""),
    }


def summarize(entry: EligibilityTransaction, *, requested: tuple[str, ...], service_date: date) -> Summary:
    verdict = coverage_on(entry, service_date)
    errors = tuple(_error(e) for e in entry.errors)
    if verdict.coverage not in (Coverage.COVERED, Coverage.AT_RISK):
        return Summary(coverage=verdict.coverage, reason=verdict.reason, errors=errors)
    administrator = carve_out_administrator(entry)
    answer = benefits_for(entry, requested)
    plan = next((b.plan_description for b in entry.benefits if b.plan_description), None) or ""
    messages = tuple(dict.fromkeys(m for b in answer.benefits for m in b.messages))
    auth = any(b.auth_required for b in answer.benefits)
    if administrator is not None:
        return Summary(
            coverage=verdict.coverage,
            reason=verdict.reason,
            carve_out=administrator.name,
            carve_out_payer_id=administrator.id or "",
            plan=plan,
            auth_required=auth,
            messages=messages,
            errors=errors,
        )
    if not answer.specific:
        # E2: the plan-level (STC 30) amounts are not the therapy's: labelled, never shown as such
        return Summary(
            coverage=verdict.coverage,
            reason=verdict.reason,
            general_only=answer.label,
            plan=plan,
            auth_required=auth,
            messages=messages,
            errors=errors,
        )
    benefits = _in_network(answer.benefits)
    coinsurance = _first(benefits, "A")
    return Summary(
        coverage=verdict.coverage,
        reason=verdict.reason,
        copay=_amount(_first(benefits, "B")),
        deductible=_amount(_first(benefits, "C", remaining=False)),
        deductible_left=_amount(_first(benefits, "C", remaining=True)),
        coinsurance=coinsurance.percent if coinsurance is not None else None,
        out_of_pocket=_amount(_first(benefits, "G", remaining=False)),
        out_of_pocket_left=_amount(_first(benefits, "G", remaining=True)),
        visit_limit=_visits(_first(benefits, "F", remaining=False)),
        visits_left=_visits(_first(benefits, "F", remaining=True)),
        auth_required=auth,
        plan=plan,
        messages=messages,
        errors=errors,
    )


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


def _percent(value: Decimal) -> str:
    return f"{(value * 100).normalize():f}%"


def plain_lines(summary: Summary) -> list[str]:
    """The benefits as a person says them ("$20.00 copay per visit", "12 of 30 visits used")."""
    if not summary.covered:
        return []
    if summary.carve_out:
        return [
            f"Mental health benefits administered by {summary.carve_out}: check eligibility with them "
            "for copays, deductibles and limits."
        ]
    lines: list[str] = []
    if summary.general_only:
        lines.append(summary.general_only)
    if summary.copay is not None:
        lines.append(f"{_money(summary.copay)} copay per visit")
    if summary.deductible_left is not None and summary.deductible is not None:
        lines.append(f"{_money(summary.deductible_left)} of {_money(summary.deductible)} deductible left")
    elif summary.deductible is not None:
        lines.append(f"{_money(summary.deductible)} deductible")
    if summary.coinsurance is not None:
        lines.append(f"{_percent(summary.coinsurance)} coinsurance")
    if summary.out_of_pocket_left is not None and summary.out_of_pocket is not None:
        lines.append(
            f"{_money(summary.out_of_pocket_left)} of {_money(summary.out_of_pocket)} out-of-pocket maximum left"
        )
    if summary.visit_limit is not None and summary.visits_used is not None:
        lines.append(f"{summary.visits_used} of {summary.visit_limit} visits used")
    elif summary.visit_limit is not None:
        lines.append(f"{summary.visit_limit} visits a year")
    if summary.auth_required:
        lines.append("Prior authorization required")
    if not lines:
        lines.append("Active; the payer returned no copay, deductible or limits for this service.")
    return lines


_MONEY_FIELDS = (
    "copay",
    "deductible",
    "deductible_left",
    "coinsurance",
    "out_of_pocket",
    "out_of_pocket_left",
)


def summary_to_json(summary: Summary) -> dict[str, Any]:
    data: dict[str, Any] = {
        "coverage": summary.coverage,
        "reason": summary.reason,
        "visit_limit": summary.visit_limit,
        "visits_left": summary.visits_left,
        "auth_required": summary.auth_required,
        "general_only": summary.general_only,
        "carve_out": summary.carve_out,
        "carve_out_payer_id": summary.carve_out_payer_id,
        "plan": summary.plan,
        "errors": list(summary.errors),
        "messages": list(summary.messages),
    }
    for name in _MONEY_FIELDS:
        value = getattr(summary, name)
        data[name] = None if value is None else (str(value) if name == "coinsurance" else f"{value:.2f}")
    return data


def summary_from_json(data: dict[str, Any]) -> Summary:
    money = {name: None if data.get(name) is None else Decimal(data[name]) for name in _MONEY_FIELDS}
    return Summary(
        coverage=data.get("coverage", Coverage.UNKNOWN),
        reason=data.get("reason", ""),
        visit_limit=data.get("visit_limit"),
        visits_left=data.get("visits_left"),
        auth_required=bool(data.get("auth_required")),
        general_only=data.get("general_only", ""),
        carve_out=data.get("carve_out", ""),
        carve_out_payer_id=data.get("carve_out_payer_id", ""),
        plan=data.get("plan", ""),
        errors=tuple(data.get("errors", ())),
        messages=tuple(data.get("messages", ())),
        **money,
    )
