"""What the patient will likely owe for one visit, from the allowed amount and the latest 271.

`estimate_responsibility` is pure: the caller passes the allowed (contracted) amount for the
visit's code and the parsed 271 entry for the coverage (`edi.x271.EligibilityTransaction`). The
arithmetic, in order:

1. **Deductible**: the patient pays the allowed amount up to the deductible left this year
   (EB*C with time period 29 "remaining"; when the payer sends only the year's total, the whole
   total is taken as left and a warning says so).
2. **Copay**: of what is left after the deductible, the patient pays the visit copay (EB*B),
   at most what is left.
3. **Coinsurance**: of what is left after the copay, the patient pays the coinsurance percent
   (EB*A), rounded half up to the cent.
4. **Out-of-pocket cap**: the total is capped by the out-of-pocket maximum left this year
   (EB*G, time period 29); the plan pays the rest of the allowed amount.

Benefits are the ones for the service types asked (mental health by default; `edi.interpret.
benefits_for`), in network or out as asked (a benefit without a network flag applies to both).
Every step is a sentence in `steps`. When an estimate is not possible (no 271, coverage not
active, a carve-out, no allowed amount, no cost-sharing returned), `reason` says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.money import to_decimal
from edi.interpret import Coverage, benefits_for, carve_out_administrator, coverage_on
from edi.x271 import Benefit, EligibilityTransaction

ZERO = Decimal("0.00")
REMAINING = "29"
_ESTIMABLE = {Coverage.COVERED, Coverage.AT_RISK}


@dataclass(frozen=True, slots=True)
class Responsibility:
    can_estimate: bool
    reason: str = ""  # why not, when can_estimate is False
    allowed: Decimal | None = None
    patient_owes: Decimal | None = None
    plan_pays: Decimal | None = None
    steps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _usd(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def _percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}%"


def _pick(
    benefits: list[Benefit], eb01: str, *, in_network: bool, remaining: bool | None = None
) -> Benefit | None:
    """The benefit of that kind for the network asked; one with the network flag set wins over
    one without. `remaining`: True = time period 29 only, False = anything but 29."""
    found = [
        b
        for b in benefits
        if b.eb01 == eb01
        and b.in_network in (in_network, None)
        and (remaining is None or (b.time_period == REMAINING) == remaining)
    ]
    found.sort(key=lambda b: b.in_network is None)
    return found[0] if found else None


def cannot(reason: str) -> Responsibility:
    return Responsibility(can_estimate=False, reason=reason)


def estimate_responsibility(
    *,
    allowed: Decimal | None,
    entry: EligibilityTransaction | None,
    service_date: date,
    service_types: tuple[str, ...] = ("MH",),
    in_network: bool = True,
) -> Responsibility:
    if entry is None:
        return cannot("No eligibility response on file for this coverage: verify eligibility first.")
    verdict = coverage_on(entry, service_date)
    if verdict.coverage not in _ESTIMABLE:
        return cannot(f"Coverage is not active for the date of service: {verdict.reason}")
    carve_out = carve_out_administrator(entry)
    if carve_out is not None:
        return cannot(
            f"Mental health benefits are administered by {carve_out.name}; ask them for the patient's cost."
        )
    if allowed is None:
        return cannot("No contracted (allowed) amount for this payer and code on the date of service.")
    allowed = to_decimal(allowed)
    answer = benefits_for(entry, service_types)
    benefits = answer.benefits
    warnings = [answer.label] if answer.label else []
    if verdict.coverage is Coverage.AT_RISK:
        warnings.append(verdict.reason)
    deductible_left = _pick(benefits, "C", in_network=in_network, remaining=True)
    deductible_total = _pick(benefits, "C", in_network=in_network, remaining=False)
    copay = _pick(benefits, "B", in_network=in_network)
    coinsurance = _pick(benefits, "A", in_network=in_network)
    oop_left = _pick(benefits, "G", in_network=in_network, remaining=True)
    if not any((deductible_left, deductible_total, copay, coinsurance)):
        return cannot("The payer returned no copay, coinsurance or deductible for this service.")

    steps = [f"Allowed amount for the visit: {_usd(allowed)}."]
    left = allowed
    owes = ZERO
    deductible = None
    if deductible_left is not None and deductible_left.amount is not None:
        deductible = to_decimal(deductible_left.amount)
    elif deductible_total is not None and deductible_total.amount is not None:
        deductible = to_decimal(deductible_total.amount)
        warnings.append(
            "The payer sent the deductible's total but not what is left; the whole total is assumed left."
        )
    if deductible is not None:
        toward = min(left, max(deductible, ZERO))
        if toward > ZERO:
            steps.append(
                f"Deductible: {_usd(deductible)} left this year, so the patient pays {_usd(toward)} of the "
                f"{_usd(left)} toward it ({_usd(deductible - toward)} of the deductible left after this visit)."
            )
        else:
            steps.append("Deductible: already met this year, nothing toward it.")
        owes += toward
        left -= toward
    if copay is not None and copay.amount is not None:
        part = min(left, to_decimal(copay.amount))
        steps.append(f"Copay: {_usd(to_decimal(copay.amount))} per visit; the patient pays {_usd(part)}.")
        owes += part
        left -= part
    if coinsurance is not None and coinsurance.percent is not None:
        part = to_decimal(left * coinsurance.percent)
        steps.append(
            f"Coinsurance: {_percent(coinsurance.percent)} of the {_usd(left)} left is {_usd(part)}."
        )
        owes += part
        left -= part
    if oop_left is not None and oop_left.amount is not None:
        cap = max(to_decimal(oop_left.amount), ZERO)
        if owes > cap:
            steps.append(
                f"Out-of-pocket maximum: only {_usd(cap)} left this year, so the patient pays {_usd(cap)} "
                f"instead of {_usd(owes)}."
            )
            owes = cap
        else:
            steps.append(f"Out-of-pocket maximum: {_usd(cap)} left this year, not reached.")
    plan_pays = allowed - owes
    steps.append(f"The patient pays {_usd(owes)}; the plan pays {_usd(plan_pays)}.")
    return Responsibility(
        can_estimate=True,
        allowed=allowed,
        patient_owes=owes,
        plan_pays=plan_pays,
        steps=steps,
        warnings=warnings,
    )


def visit_copay(
    *,
    entry: EligibilityTransaction | None,
    service_date: date,
    service_types: tuple[str, ...] = ("MH",),
    in_network: bool = True,
) -> Decimal | None:
    """The visit copay (EB*B) the latest 271 gives for the service, what the front desk collects
    at check-in; None when it is not known (no response, coverage not active on the date, a
    carve-out administrator, no copay returned)."""
    if entry is None or coverage_on(entry, service_date).coverage not in _ESTIMABLE:
        return None
    if carve_out_administrator(entry) is not None:
        return None
    copay = _pick(benefits_for(entry, service_types).benefits, "B", in_network=in_network)
    if copay is None or copay.amount is None:
        return None
    return to_decimal(copay.amount)
