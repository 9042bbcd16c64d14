"""The sandbox clearinghouse: a deterministic payer simulator that answers real X12 271s.

Like the commercial clearinghouses' test modes, it knows a fixed set of synthetic test members.
The scenario is chosen by the subscriber's member ID (`SANDBOX_MEMBERS`); any other member ID is
"subscriber not found" (AAA 75). The same 270 always gets the same 271: dates come from the
inquiry (date of service, BHT date), control numbers echo the inquiry's.

The answer names the service types asked: MH-specific benefits carry the codes of the 270's EQ
segments other than 30 (or MH when only 30 was asked).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from clearinghouse.interface import (
    EligibilityCheck,
    EligibilityResult,
    PermanentClearinghouseError,
    TransientClearinghouseError,
)
from edi.codes import FOLLOW_UP_ACTIONS, REJECT_REASONS, TRANSIENT_REJECT_REASONS
from edi.errors import X12Error
from edi.x270 import EligibilityRequest, Envelope, Person, build_270, read_270
from edi.x271 import (
    LEVEL_SOURCE,
    LEVEL_SUBSCRIBER,
    AaaError,
    Benefit,
    EligibilityTransaction,
    Entity,
    Member,
    PlanDates,
    parse_271,
)
from edi.x271_write import write_271

SANDBOX_PAYER_ID = "SBXPAYER"
SANDBOX_NAME = "Sandbox clearinghouse (test members only)"


class Scenario(StrEnum):
    ACTIVE_MH = "active_mh"
    COPAY_ONLY = "copay_only"
    HIGH_DEDUCTIBLE = "high_deductible"
    COINSURANCE = "coinsurance"
    VISIT_LIMIT = "visit_limit"
    AUTH_REQUIRED = "auth_required"
    INACTIVE = "inactive"
    NOT_FOUND = "not_found"
    PAYER_UNAVAILABLE = "payer_unavailable"
    CLEARINGHOUSE_DOWN = "clearinghouse_down"
    CARVE_OUT = "carve_out"
    GENERAL_ONLY = "general_only"
    AT_RISK = "at_risk"


# Synthetic test members: member ID -> scenario (labels for the screens in SCENARIO_LABELS).
SANDBOX_MEMBERS: dict[str, Scenario] = {
    "SBX1001": Scenario.ACTIVE_MH,
    "SBX1002": Scenario.COPAY_ONLY,
    "SBX1003": Scenario.HIGH_DEDUCTIBLE,
    "SBX1004": Scenario.COINSURANCE,
    "SBX1005": Scenario.VISIT_LIMIT,
    "SBX1006": Scenario.AUTH_REQUIRED,
    "SBX1007": Scenario.INACTIVE,
    "SBX1008": Scenario.NOT_FOUND,
    "SBX1009": Scenario.PAYER_UNAVAILABLE,
    "SBX1010": Scenario.CLEARINGHOUSE_DOWN,
    "SBX1011": Scenario.CARVE_OUT,
    "SBX1012": Scenario.GENERAL_ONLY,
    "SBX1013": Scenario.AT_RISK,
}

SCENARIO_LABELS: dict[Scenario, str] = {
    Scenario.ACTIVE_MH: "Active, mental health benefits: $20 copay, $500 deductible, 40% out of network",
    Scenario.COPAY_ONLY: "Active, $30 copay only",
    Scenario.HIGH_DEDUCTIBLE: "Active, $3,000 deductible with $1,850 left, then 20%",
    Scenario.COINSURANCE: "Active, 20% coinsurance in network, 40% out of network",
    Scenario.VISIT_LIMIT: "Active, 30 visits a year, 2 left",
    Scenario.AUTH_REQUIRED: "Active, prior authorization required",
    Scenario.INACTIVE: "Coverage ended before the date of service",
    Scenario.NOT_FOUND: "Member not found (AAA 75)",
    Scenario.PAYER_UNAVAILABLE: "Payer unable to respond now (AAA 42)",
    Scenario.CLEARINGHOUSE_DOWN: "Clearinghouse unavailable (HTTP 503)",
    Scenario.CARVE_OUT: "Mental health carved out to another administrator",
    Scenario.GENERAL_ONLY: "Plan-level benefits only (STC 30)",
    Scenario.AT_RISK: "Active, pending investigation",
}

CARVE_OUT_ENTITY = Entity(entity_code="PR", name="SANDBOX BEHAVIORAL HEALTH", id_qualifier="PI", id="SBXBH01")


def _aaa(code: str, level: str, loop: str, follow_up: str) -> AaaError:
    return AaaError(
        code=code,
        message=REJECT_REASONS[code],
        level=level,
        loop=loop,
        valid_request=False,
        follow_up_action=follow_up,
        follow_up_message=FOLLOW_UP_ACTIONS[follow_up],
        transient=code in TRANSIENT_REJECT_REASONS,
    )


def _money(text: str) -> Decimal:
    return Decimal(text)


def _benefits(scenario: Scenario, codes: list[str]) -> list[Benefit]:
    plan = Benefit(eb01="1", coverage_level="IND", service_types=["30"], plan_description="SANDBOX PPO")
    active_mh = Benefit(eb01="1", coverage_level="IND", service_types=codes)

    def eb(eb01: str, **values: object) -> Benefit:
        return Benefit.model_validate(
            {"eb01": eb01, "coverage_level": "IND", "service_types": codes, **values}
        )

    match scenario:
        case Scenario.ACTIVE_MH:
            return [
                plan,
                active_mh,
                eb("B", time_period="27", amount=_money("20.00"), in_network=True),
                eb("A", time_period="27", percent=Decimal("0.4"), in_network=False),
                eb("C", time_period="23", amount=_money("500.00"), in_network=True),
                eb("C", time_period="29", amount=_money("500.00"), in_network=True),
                eb("G", time_period="23", amount=_money("3000.00"), in_network=True),
                eb("G", time_period="29", amount=_money("2750.00"), in_network=True),
            ]
        case Scenario.COPAY_ONLY:
            return [plan, active_mh, eb("B", time_period="27", amount=_money("30.00"), in_network=True)]
        case Scenario.HIGH_DEDUCTIBLE:
            return [
                plan,
                active_mh,
                eb("C", time_period="23", amount=_money("3000.00"), in_network=True),
                eb("C", time_period="29", amount=_money("1850.00"), in_network=True),
                eb("A", time_period="27", percent=Decimal("0.2"), in_network=True),
                eb("G", time_period="23", amount=_money("6000.00"), in_network=True),
                eb("G", time_period="29", amount=_money("4850.00"), in_network=True),
            ]
        case Scenario.COINSURANCE:
            return [
                plan,
                active_mh,
                eb("A", time_period="27", percent=Decimal("0.2"), in_network=True),
                eb("A", time_period="27", percent=Decimal("0.4"), in_network=False),
            ]
        case Scenario.VISIT_LIMIT:
            return [
                plan,
                active_mh,
                eb("B", time_period="27", amount=_money("25.00"), in_network=True),
                eb("F", time_period="23", quantity_qualifier="VS", quantity=Decimal("30"), in_network=True),
                eb("F", time_period="29", quantity_qualifier="VS", quantity=Decimal("2"), in_network=True),
            ]
        case Scenario.AUTH_REQUIRED:
            return [
                plan,
                eb(
                    "1",
                    auth_required=True,
                    in_network=True,
                    messages=["PRIOR AUTHORIZATION REQUIRED FOR OUTPATIENT BEHAVIORAL HEALTH"],
                ),
                eb("B", time_period="27", amount=_money("20.00"), in_network=True, auth_required=True),
            ]
        case Scenario.INACTIVE:
            return [Benefit(eb01="6", coverage_level="IND", service_types=["30"])]
        case Scenario.CARVE_OUT:
            return [
                plan,
                eb(
                    "1",
                    related_entities=[CARVE_OUT_ENTITY],
                    messages=["MENTAL HEALTH BENEFITS ADMINISTERED BY SANDBOX BEHAVIORAL HEALTH"],
                ),
            ]
        case Scenario.GENERAL_ONLY:
            return [
                plan,
                Benefit(
                    eb01="B",
                    coverage_level="IND",
                    service_types=["30"],
                    time_period="27",
                    amount=_money("40.00"),
                    in_network=True,
                ),
            ]
        case Scenario.AT_RISK:
            return [
                Benefit(eb01="5", coverage_level="IND", service_types=["30"]),
                active_mh.model_copy(update={"eb01": "5"}),
            ]
        case _:
            return []


def _member(person: Person) -> Member:
    return Member(
        last_name=person.last_name.upper(),
        first_name=person.first_name.upper() or None,
        member_id=person.member_id or None,
        birth_date=person.birth_date,
        gender=person.gender or None,
        group_number=person.group_number or None,
    )


def _plan_dates(scenario: Scenario, service_date: date) -> PlanDates:
    if scenario is Scenario.INACTIVE:
        end = service_date.replace(day=1) - timedelta(days=1)
        return PlanDates(plan_begin=date(end.year, 1, 1), plan_end=end)
    return PlanDates(plan_begin=date(service_date.year, 1, 1), plan_end=date(service_date.year, 12, 31))


def scenario_for(member_id: str) -> Scenario:
    return SANDBOX_MEMBERS.get(member_id.strip().upper(), Scenario.NOT_FOUND)


def _created(group_date: str, group_time: str) -> datetime:
    return datetime.strptime(group_date + group_time[:4], "%Y%m%d%H%M")  # noqa: DTZ007 (X12 local time)


def respond_271(x270: str) -> str:
    """The sandbox payer's 271 for a 270 (holding one inquiry). Raises X12Error on a bad 270."""
    request, transaction = read_270(x270)
    isa, gs = transaction.interchange, transaction.group
    envelope = Envelope(
        sender_id=isa.get(8).strip(),
        receiver_id=isa.get(6).strip(),
        interchange_control_number=int(isa.get(13)),
        group_control_number=int(gs.get(6)),
        transaction_control_number=int(transaction.control_number),
        created=_created(gs.get(4), gs.get(5)),
        usage=isa.get(15),
        sender_qualifier=isa.get(7),
        receiver_qualifier=isa.get(5),
    )
    return write_271(
        [_answer(request)], envelope, reference=transaction.segments[0].get(3), trace_originator="9SANDBOXPY"
    )


def _answer(request: EligibilityRequest) -> EligibilityTransaction:
    scenario = scenario_for(request.subscriber.member_id)
    payer = Entity(
        entity_code="PR", name=request.payer.name.upper(), id_qualifier="PI", id=request.payer.payer_id
    )
    provider = Entity(
        entity_code="1P",
        name=request.provider.name.upper(),
        first_name=request.provider.first_name.upper() or None,
        id_qualifier="XX",
        id=request.provider.npi,
    )
    if scenario is Scenario.PAYER_UNAVAILABLE:
        return EligibilityTransaction(
            payer=payer, provider=provider, errors=[_aaa("42", LEVEL_SOURCE, "2100A", "P")]
        )
    subscriber = _member(request.subscriber)
    patient = _member(request.dependent) if request.dependent is not None else subscriber
    if request.dependent is not None:
        patient = patient.model_copy(update={"relationship": "19"})
    if scenario is Scenario.NOT_FOUND:
        return EligibilityTransaction(
            subscriber=subscriber,
            patient=subscriber,
            payer=payer,
            provider=provider,
            trace_numbers=[request.trace_number],
            errors=[_aaa("75", LEVEL_SUBSCRIBER, "2100C", "C")],
        )
    codes = [code for code in request.service_types if code != "30"] or ["MH"]
    if scenario is Scenario.CARVE_OUT and request.payer.payer_id == CARVE_OUT_ENTITY.id:
        scenario = Scenario.ACTIVE_MH  # asked of the carve-out administrator: the MH benefits
    return EligibilityTransaction(
        subscriber=subscriber,
        patient=patient,
        payer=payer,
        provider=provider,
        trace_numbers=[request.trace_number],
        plan_dates=_plan_dates(scenario, request.service_date),
        benefits=_benefits(scenario, codes),
    )


@dataclass
class SandboxClearinghouse:
    """The sandbox adapter. `latency_ms` simulates the payer's response time."""

    latency_ms: int = 0
    sleep: Callable[[float], None] = time.sleep
    name: str = "sandbox"
    is_sandbox: bool = True

    def check_eligibility(self, check: EligibilityCheck) -> EligibilityResult:
        request_x12 = build_270(check.request, check.envelope)
        if self.latency_ms > 0:
            self.sleep(self.latency_ms / 1000)
        if scenario_for(check.request.subscriber.member_id) is Scenario.CLEARINGHOUSE_DOWN:
            raise TransientClearinghouseError(
                "The sandbox clearinghouse answered HTTP 503 (service unavailable).", request_x12=request_x12
            )
        response_x12 = respond_271(request_x12)
        try:
            response = parse_271(response_x12, expected_trace=check.request.trace_number)
        except X12Error as error:
            raise PermanentClearinghouseError(
                str(error), request_x12=request_x12, response_x12=response_x12
            ) from error
        return EligibilityResult(request_x12=request_x12, response_x12=response_x12, response=response)
