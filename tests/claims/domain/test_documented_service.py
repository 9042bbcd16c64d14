"""The scrubber flags a line whose code the note's documented service cannot produce (a biller's
override from 90837 to 90853 or H0004, say), with the payer's crosswalk and substitutions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from claims.domain.scrubber import ScrubCode as S
from claims.domain.scrubber import scrub
from claims.domain.types import LineFacts
from coding.domain.types import CodeSubstitution, PayerCodingRules, ServiceCrosswalk
from core.domain.problems import Severity
from core.domain.service_types import ServiceType as T
from payer_rules.domain.policy import PayerPolicy
from tests.claims.domain.test_scrubber import claim

MEDICAID = PayerPolicy(
    coding=PayerCodingRules(
        label="State Medicaid",
        crosswalk=(
            ServiceCrosswalk(service_type=T.CASE_MANAGEMENT, code="T1017"),
            ServiceCrosswalk(
                service_type=T.GROUP_PSYCHOTHERAPY, code="H0005", credentials=frozenset({"CADC"})
            ),
        ),
        code_substitutions=(CodeSubstitution("97153", "H2019", frozenset({"RBT", "BHT"})),),
    )
)


def lines(*codes: str) -> tuple[LineFacts, ...]:
    return tuple(
        LineFacts(line_number=i + 1, code=code, units=1, documented_minutes=60, diagnosis_pointers=(1,))
        for i, code in enumerate(codes)
    )


def flagged(service: T, codes: tuple[str, ...], policy: PayerPolicy | None = None) -> list[str]:
    base = claim(lines=lines(*codes))
    changes = {"note": replace(base.note, service_type=service, minutes=60)}
    if policy is not None:
        changes["policy"] = policy
    found = scrub(replace(base, **changes))
    return [p.field for p in found if p.code == S.CODE_NOT_FOR_SERVICE]


@pytest.mark.parametrize(
    ("_case", "service", "codes", "policy", "expected"),
    [
        ("individual 90837 as documented", T.INDIVIDUAL_PSYCHOTHERAPY, ("90837",), None, []),
        ("overridden to group 90853", T.INDIVIDUAL_PSYCHOTHERAPY, ("90853",), None, ["lines[0].code"]),
        ("overridden to H0004", T.INDIVIDUAL_PSYCHOTHERAPY, ("H0004",), None, ["lines[0].code"]),
        ("another band is still the service", T.INDIVIDUAL_PSYCHOTHERAPY, ("90834",), None, []),
        ("an E/M added to psychotherapy without E/M", T.INDIVIDUAL_PSYCHOTHERAPY, ("90837", "99213"), None, ["lines[1].code"]),
        ("E/M with its add-on", T.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM, ("99213", "90836"), None, []),
        ("interactive complexity with psychotherapy", T.INDIVIDUAL_PSYCHOTHERAPY, ("90837", "90785"), None, []),
        ("96127 alongside any session", T.CASE_MANAGEMENT, ("T1016", "96127"), None, []),
        ("interactive complexity with case management", T.CASE_MANAGEMENT, ("T1016", "90785"), None, ["lines[1].code"]),
        ("T1017 without the payer's crosswalk", T.CASE_MANAGEMENT, ("T1017",), None, ["lines[0].code"]),
        ("T1017 with the payer's crosswalk", T.CASE_MANAGEMENT, ("T1017",), MEDICAID, []),
        ("H0005 for group with the crosswalk", T.GROUP_PSYCHOTHERAPY, ("H0005",), MEDICAID, []),
        ("H0005 on an individual note even with it", T.INDIVIDUAL_PSYCHOTHERAPY, ("H0005",), MEDICAID, ["lines[0].code"]),
        ("H2019 by the payer's substitution", T.ABA_TECHNICIAN_TREATMENT, ("H2019",), MEDICAID, []),
        ("97155 on a technician's ABA note", T.ABA_TECHNICIAN_TREATMENT, ("97155",), None, ["lines[0].code"]),
    ],
)  # fmt: skip
def test_code_must_come_from_the_documented_service(_case, service, codes, policy, expected):
    assert flagged(service, codes, policy) == expected


def test_finding_is_an_error_that_names_the_service_and_its_codes():
    # given: a biller turned the individual 90837 into group 90853
    found = [
        p
        for p in scrub(claim(lines=lines("90853"), note=replace(claim().note, minutes=60)))
        if p.code == S.CODE_NOT_FOR_SERVICE
    ]

    # then
    assert [(p.severity, p.message) for p in found] == [
        (
            Severity.ERROR,
            "90853 is not a code for the service the note documents (individual psychotherapy: 90832, "
            "90834, 90837).",
        )
    ]
    assert found[0].fix_hint.startswith("Bill the code the note supports")


def test_unknown_and_dropped_lines_are_not_judged_again():
    unknown = replace(lines("99999")[0], code_known=False)
    dropped = replace(lines("H0004")[0], units=0, line_number=2)
    base = claim(lines=(*lines("90837"), unknown, dropped), date_of_service=date(2026, 3, 9))
    assert [p for p in scrub(base) if p.code == S.CODE_NOT_FOR_SERVICE] == []
