"""estimates.domain.responsibility: the patient's share, table-driven at every edge."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from edi.x271 import AaaError, Benefit, EligibilityTransaction, Entity, PlanDates
from estimates.domain.responsibility import estimate_responsibility, visit_copay

DOS = date(2026, 3, 10)
D = Decimal


def eb(eb01: str, *, amount: str | None = None, percent: str | None = None, period: str = "27",
       network: bool | None = True, types: tuple[str, ...] = ("MH",)) -> Benefit:  # fmt: skip
    return Benefit(
        eb01=eb01,
        service_types=list(types),
        coverage_level="IND",
        in_network=network,
        amount=D(amount) if amount is not None else None,
        percent=D(percent) if percent is not None else None,
        time_period=period,
    )


ACTIVE = [Benefit(eb01="1", service_types=["30"]), Benefit(eb01="1", service_types=["MH"])]


def entry(*benefits: Benefit, **changes: object) -> EligibilityTransaction:
    values: dict[str, object] = {
        "benefits": [*ACTIVE, *benefits],
        "coverage_status": "active",
        "active": True,
        "plan_dates": PlanDates(plan_begin=date(2026, 1, 1), plan_end=date(2026, 12, 31)),
    }
    values.update(changes)
    return EligibilityTransaction.model_validate(values)


def ded_left(amount: str) -> Benefit:
    return eb("C", amount=amount, period="29")


def oop_left(amount: str) -> Benefit:
    return eb("G", amount=amount, period="29")


# (name, allowed, benefits, patient owes, plan pays)
CASES = [
    ("copay only", "120.00", [eb("B", amount="20.00")], "20.00", "100.00"),
    ("copay above allowed: capped at allowed", "15.00", [eb("B", amount="20.00")], "15.00", "0.00"),
    ("coinsurance only", "120.00", [eb("A", percent="0.2")], "24.00", "96.00"),
    ("coinsurance rounds half up", "100.05", [eb("A", percent="0.1")], "10.01", "90.04"),
    ("deductible left covers the whole visit", "120.00", [ded_left("500.00"), eb("A", percent="0.2")], "120.00", "0.00"),
    ("deductible exactly met by this visit", "120.00", [ded_left("120.00"), eb("A", percent="0.2")], "120.00", "0.00"),
    ("deductible one cent short of the visit", "120.00", [ded_left("119.99"), eb("A", percent="0.2")], "119.99", "0.01"),
    ("deductible already met", "120.00", [ded_left("0.00"), eb("A", percent="0.2")], "24.00", "96.00"),
    ("deductible partly met, then coinsurance", "150.00", [ded_left("50.00"), eb("A", percent="0.2")], "70.00", "80.00"),
    ("copay + coinsurance", "120.00", [eb("B", amount="20.00"), eb("A", percent="0.1")], "30.00", "90.00"),
    ("deductible + copay + coinsurance", "150.00",
     [ded_left("50.00"), eb("B", amount="20.00"), eb("A", percent="0.1")], "78.00", "72.00"),
    ("out-of-pocket cap hit", "150.00", [ded_left("150.00"), oop_left("100.00")], "100.00", "50.00"),
    ("out-of-pocket cap exactly reached", "150.00", [ded_left("150.00"), oop_left("150.00")], "150.00", "0.00"),
    ("out-of-pocket already met", "150.00", [eb("A", percent="0.2"), oop_left("0.00")], "0.00", "150.00"),
    ("out-of-network coinsurance ignored in network", "100.00",
     [eb("A", percent="0.2"), eb("A", percent="0.4", network=False)], "20.00", "80.00"),
    ("network-flagged benefit wins over unflagged", "100.00",
     [eb("B", amount="50.00", network=None), eb("B", amount="25.00")], "25.00", "75.00"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "allowed", "benefits", "owes", "plan"), CASES, ids=[c[0] for c in CASES])
def test_estimate_arithmetic(name: str, allowed: str, benefits: list[Benefit], owes: str, plan: str) -> None:
    result = estimate_responsibility(allowed=D(allowed), entry=entry(*benefits), service_date=DOS)
    assert result.can_estimate, result.reason
    assert (result.patient_owes, result.plan_pays) == (D(owes), D(plan))
    assert result.patient_owes + result.plan_pays == D(allowed)
    assert result.steps[-1] == f"The patient pays ${D(owes):,.2f}; the plan pays ${D(plan):,.2f}."


def test_out_of_network_uses_the_out_of_network_benefits() -> None:
    benefits = [eb("A", percent="0.2"), eb("A", percent="0.4", network=False)]
    result = estimate_responsibility(
        allowed=D("100"), entry=entry(*benefits), service_date=DOS, in_network=False
    )
    assert result.patient_owes == D("40.00")


def test_the_steps_read_as_plain_words() -> None:
    result = estimate_responsibility(
        allowed=D("150.00"),
        entry=entry(ded_left("50.00"), eb("B", amount="20.00"), eb("A", percent="0.1"), oop_left("1000.00")),
        service_date=DOS,
    )
    assert result.steps == [
        "Allowed amount for the visit: $150.00.",
        "Deductible: $50.00 left this year, so the patient pays $50.00 of the $150.00 toward it "
        "($0.00 of the deductible left after this visit).",
        "Copay: $20.00 per visit; the patient pays $20.00.",
        "Coinsurance: 10% of the $80.00 left is $8.00.",
        "Out-of-pocket maximum: $1,000.00 left this year, not reached.",
        "The patient pays $78.00; the plan pays $72.00.",
    ]


def test_only_the_deductible_total_is_taken_as_all_left_with_a_warning() -> None:
    result = estimate_responsibility(
        allowed=D("100.00"), entry=entry(eb("C", amount="500.00", period="23")), service_date=DOS
    )
    assert result.patient_owes == D("100.00")
    assert any("total" in w for w in result.warnings)


def test_plan_level_only_benefits_are_used_with_a_warning() -> None:
    general = entry(
        benefits=[Benefit(eb01="1", service_types=["30"]), eb("B", amount="40.00", types=("30",))]
    )
    result = estimate_responsibility(allowed=D("100.00"), entry=general, service_date=DOS)
    assert result.patient_owes == D("40.00")
    assert result.warnings == ["General plan coverage; benefits for service type MH were not returned."]


CANNOT = [
    ("no 271", None, "100.00", "No eligibility response"),
    ("no allowed amount", entry(eb("B", amount="20.00")), None, "No contracted (allowed) amount"),
    ("no cost-sharing returned", entry(), "100.00", "no copay, coinsurance or deductible"),
    ("inactive", entry(benefits=[Benefit(eb01="6", service_types=["30"])], coverage_status="inactive"),
     "100.00", "not active"),
    ("ended before the date of service",
     entry(eb("B", amount="20.00"), plan_dates=PlanDates(plan_begin=date(2025, 1, 1), plan_end=date(2026, 3, 9))),
     "100.00", "ends before the date of service"),
    ("rejected (AAA 75)",
     entry(benefits=[], coverage_status="unknown", errors=[AaaError(code="75", message="Subscriber not found",
           level="subscriber", loop="2100C")]), "100.00", "rejected"),
    ("carve-out", entry(benefits=[*ACTIVE[:1], Benefit(eb01="1", service_types=["MH"],
        related_entities=[Entity(entity_code="PR", name="OTHER BH")])]), "100.00", "administered by OTHER BH"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "response", "allowed", "reason"), CANNOT, ids=[c[0] for c in CANNOT])
def test_cannot_estimate_says_why(name: str, response: EligibilityTransaction | None, allowed: str | None,
                                  reason: str) -> None:  # fmt: skip
    result = estimate_responsibility(
        allowed=D(allowed) if allowed else None, entry=response, service_date=DOS
    )
    assert not result.can_estimate
    assert result.patient_owes is None
    assert reason in result.reason


COPAYS = [
    ("in-network copay", entry(eb("B", amount="20.00"), eb("A", percent="0.2")), "20.00"),
    ("network-flagged copay wins", entry(eb("B", amount="50.00", network=None), eb("B", amount="25.00")), "25.00"),
    ("only an out-of-network copay", entry(eb("B", amount="40.00", network=False)), None),
    ("no copay returned", entry(eb("A", percent="0.2")), None),
    ("no 271", None, None),
    ("inactive", entry(eb("B", amount="20.00"), coverage_status="inactive", active=False,
     benefits=[Benefit(eb01="6", service_types=["30"]), eb("B", amount="20.00")]), None),
    ("ended before the date of service", entry(eb("B", amount="20.00"),
     plan_dates=PlanDates(plan_begin=date(2025, 1, 1), plan_end=date(2026, 3, 9))), None),
]  # fmt: skip


@pytest.mark.parametrize(("name", "response", "copay"), COPAYS, ids=[c[0] for c in COPAYS])
def test_visit_copay_is_the_in_network_copay_when_coverage_is_active(
    name: str, response: EligibilityTransaction | None, copay: str | None
) -> None:
    assert visit_copay(entry=response, service_date=DOS) == (D(copay) if copay else None)
