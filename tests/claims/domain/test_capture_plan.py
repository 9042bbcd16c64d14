"""The decisions of capture and override as pure functions: no database at their edges."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from authorizations.domain.types import AuthorizationFacts, UnitKind
from claims.domain.capture import FeeEntry, LineOverride
from claims.domain.capture_plan import (
    CaptureFacts,
    CaptureNote,
    ChargeRow,
    UsageLine,
    diagnosis_plan,
    payer_why,
    plan_capture,
    supervisor_billing,
    usage_actions,
)
from claims.domain.override_plan import OverrideContext, plan_override
from claims.domain.types import CoverageFacts
from coding.domain.code_sets import shipped_catalog
from coding.domain.icd10 import Icd10Check
from coding.domain.types import PayerCodingRules, SessionFacts
from core.domain.service_types import ServiceType
from payer_rules.domain.policy import PayerPolicy, policy_from_document
from tests.claims.conftest import MEDICAID_RULES

DOS = date(2026, 3, 9)
CATALOG = shipped_catalog()
SELF_PAY = PayerPolicy(coding=PayerCodingRules(label="Self-pay (CPT rules)"))
COVERAGE = CoverageFacts(
    coverage_id=7,
    payer_id=3,
    payer_name="State Medicaid MCO",
    member_id="MCD123456",
    effective_on=date(2025, 1, 1),
)


def medicaid() -> PayerPolicy:
    policy, problems = policy_from_document(
        MEDICAID_RULES, label="State Medicaid MCO (rules from Wed 1 Jan 2025)"
    )
    assert problems == []
    assert policy is not None
    return policy


def check(code: str, *, billable: bool = True) -> Icd10Check:
    return Icd10Check(
        raw=code.replace(".", ""),
        code=code,
        valid=True,
        billable=billable,
        description="",
        fiscal_year=2026,
        table_fiscal_year=2026,
        exact=True,
        reason="",
    )


def session(service: ServiceType, minutes: int, *, credential: str, note_id: int = 1) -> SessionFacts:
    return SessionFacts(
        service_type=service,
        date_of_service=DOS,
        segment_minutes=(minutes,),
        rendering_credential=credential,
        diagnoses=("F84.0",),
        session_ref=f"note:{note_id}",
    )


def facts(**changes: object) -> CaptureFacts:
    base = CaptureFacts(
        note=CaptureNote(
            note_id=1,
            practice_id=1,
            patient_id=5,
            author_id=11,
            author_credential="LPC",
            supervisor_id=None,
            date_of_service=DOS,
            session=session(ServiceType.INDIVIDUAL_PSYCHOTHERAPY, 45, credential="LPC"),
        ),
        others=(),
        coverage=None,
        policy=SELF_PAY,
        catalog=CATALOG,
        captured_units={},
        diagnoses=(check("F84.0"),),
        supervisor_on_file=None,
        authorizations=(),
        fee_entries=(FeeEntry(None, "90834", "", 11000, date(2025, 1, 1)),),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_payer_why_names_the_payer_or_self_pay():
    assert (
        payer_why(None, DOS)
        == "No primary coverage active on Mon 9 Mar 2026: self-pay, coded by the CPT rules alone."
    )
    assert (
        payer_why(COVERAGE, DOS)
        == "Payer: State Medicaid MCO, the primary coverage active on Mon 9 Mar 2026."
    )


def test_diagnosis_plan_normalises_dedupes_and_points_at_the_first_four():
    plan = diagnosis_plan([check("F84.0"), check("F84.0"), check("F41.1")])
    assert (plan.claim_codes, plan.pointers) == (("F84.0", "F41.1"), (1, 2))
    assert diagnosis_plan([]).claim_codes == ()


@pytest.mark.parametrize(
    ("_case", "insured", "supervisor_id", "expected"),
    [
        ("self-pay: nobody", False, 9, (None, "")),
        ("medicaid RBT: the supervisor on the claim", True, 9, (9, "with_supervisor")),
        ("medicaid RBT without a supervisor on file", True, None, (None, "with_supervisor")),
    ],
)
def test_supervisor_billing(_case, insured, supervisor_id, expected):
    people = supervisor_billing(
        medicaid(), insured=insured, credential="RBT", codes=["H2019"], supervisor_id=supervisor_id
    )
    assert (people.supervising_id, people.supervisor_billing) == expected
    if insured and supervisor_id is None:
        assert "No supervisor of the RBT is on file for the date of service." in people.why


def test_usage_actions_count_a_visit_once_per_set_and_units_per_line():
    auths = [
        AuthorizationFacts(1, 5, 3, "PA-V", frozenset({"H2019"}), UnitKind.VISITS, 10, 0, DOS, DOS),
        AuthorizationFacts(2, 5, 3, "PA-U", frozenset({"H2019"}), UnitKind.UNITS, 100, 0, DOS, DOS),
    ]
    lines = [
        UsageLine(40, "H2019", 4, 1, "PA-V"),
        UsageLine(41, "H2019", 2, 1, "PA-V"),
        UsageLine(42, "H2019", 0, 2, "PA-U"),
    ]
    actions = usage_actions(9, lines, auths)
    assert [(a.authorization_id, a.source_id, a.units) for a in actions] == [
        (1, "charge-set:9", 1),
        (2, "charge-line:42", 0),
    ]


def test_a_self_pay_45_minute_session_is_one_90834_with_the_default_fee():
    plan = plan_capture(facts())
    assert [
        (x.code, x.units, x.modifiers, x.diagnosis_pointers, x.fee_cents, x.fee_source) for x in plan.lines
    ] == [("90834", 1, (), (1,), 11000, "default")]
    assert (plan.payer_id, plan.self_pay, plan.supervising_id, plan.claim_diagnoses) == (
        None,
        True,
        None,
        ("F84.0",),
    )
    assert (
        plan.why[0] == "No primary coverage active on Mon 9 Mar 2026: self-pay, coded by the CPT rules alone."
    )


def test_a_medicaid_rbt_session_bills_h2019_with_the_supervisor_and_the_covering_authorization():
    auth = AuthorizationFacts(
        21,
        5,
        3,
        "MCD-PA-77",
        frozenset({"H2019"}),
        UnitKind.UNITS,
        100,
        0,
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    note = replace(
        facts().note,
        author_credential="RBT",
        supervisor_id=9,
        session=session(ServiceType.ABA_TECHNICIAN_TREATMENT, 60, credential="RBT"),
    )
    plan = plan_capture(
        facts(
            note=note,
            coverage=COVERAGE,
            policy=medicaid(),
            authorizations=(auth,),
            fee_entries=(FeeEntry(3, "H2019", "HM", 1850, date(2025, 1, 1)),),
        )
    )
    assert [
        (x.code, x.units, x.modifiers, x.fee_cents, x.authorization_id, x.auth_number) for x in plan.lines
    ] == [("H2019", 4, ("HM",), 7400, 21, "MCD-PA-77")]
    assert (plan.payer_id, plan.coverage_id, plan.supervising_id, plan.supervisor_billing) == (
        3,
        7,
        9,
        "with_supervisor",
    )
    assert "H2019: authorization MCD-PA-77 covers Mon 9 Mar 2026." in plan.why


def test_the_days_other_notes_units_are_taken_off_this_note():
    other = session(ServiceType.CRISIS_PSYCHOTHERAPY, 40, credential="LPC", note_id=1)
    mine = session(ServiceType.CRISIS_PSYCHOTHERAPY, 40, credential="LPC", note_id=2)
    plan = plan_capture(
        facts(
            note=replace(facts().note, note_id=2, session=mine), others=(other,), captured_units={"90839": 1}
        )
    )
    assert [(x.code, x.units) for x in plan.lines] == [("90840", 1)]
    assert any(
        w.startswith("Coded with the patient's 1 other final session(s) of Mon 9 Mar 2026") for w in plan.why
    )


def _row(**changes: object) -> ChargeRow:
    base = ChargeRow(1, "90834", 1, (), "11", (1,), 45, False, 11000, 11000, "default", None, "")
    return replace(base, **changes)  # type: ignore[arg-type]


def _context(**changes: object) -> OverrideContext:
    base = OverrideContext(
        current=_row(),
        day=DOS,
        catalog=CATALOG,
        diagnosis_count=1,
        payer_id=None,
        self_pay=True,
        patient_id=5,
        rendering_provider_id=11,
        fee_entries=(FeeEntry(None, "90837", "", 14000, date(2025, 1, 1)),),
        authorizations=(),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_an_override_takes_the_new_codes_fee_and_keeps_the_rest():
    change = LineOverride(
        code=" 90837 ", units=1, modifiers=(), pos="11", diagnosis_pointers=(1,), reason=" longer "
    )
    plan = plan_override(change, _context())
    assert plan.problems == ()
    assert (plan.line.code, plan.line.fee_cents, plan.line.fee_source, plan.change.reason) == (
        "90837",
        14000,
        "default",
        "longer",
    )


def test_a_bad_override_changes_nothing():
    change = LineOverride(
        code="90837", units=1, modifiers=(), pos="11", diagnosis_pointers=(2,), reason="why"
    )
    plan = plan_override(change, _context())
    assert [p.code for p in plan.problems] == ["override_pointer_invalid"]
    assert plan.line == _row()


def test_an_override_off_an_authorized_code_releases_the_authorization():
    auth = AuthorizationFacts(21, 5, 3, "PA", frozenset({"90834"}), UnitKind.UNITS, 10, 1, DOS, DOS)
    context = _context(
        current=_row(authorization_id=21, auth_number="PA"),
        payer_id=3,
        self_pay=False,
        authorizations=(auth,),
    )
    change = LineOverride(
        code="90837", units=1, modifiers=(), pos="11", diagnosis_pointers=(1,), reason="why"
    )
    plan = plan_override(change, context)
    assert (plan.line.authorization_id, plan.line.auth_number, plan.released_authorization_id) == (
        None,
        "",
        21,
    )
