"""Realistic rule sets for the demo payers, created through the rule-set service (idempotent).

    demo_payer_rules_seed(access=admin_access, payers_by_kind={"commercial": payer, ...})

Keys are payers.Payer.Kind values (commercial, medicaid, medicare, self_pay); values are Payer
rows or their pks. A version whose start date the payer already has is skipped, so a second run
creates nothing. Sources for the choices: DOMAIN-coding-facts.md sections 2 (unit rules), 4
(HM-HP, 95/93, POS 02/10), 8 (timely filing, Medicare redetermination 120 days).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from accounts.access import PracticeAccess
from payer_rules import selectors
from payer_rules.services import payer_rule_set_create

ABA_CODES = ["97151", "97152", "97153", "97154", "97155", "97156", "97157", "97158", "0362T", "0373T"]
PSYCHOTHERAPY_VISIT_CODES = [
    "90832",
    "90833",
    "90834",
    "90836",
    "90837",
    "90838",
    "90846",
    "90847",
    "90853",
]
TECHNICIANS = ["RBT", "BHT"]
MEDICARE_CLINICIANS = ["MD/DO", "PhD/PsyD", "PMHNP", "PA", "LCSW"]
MEDICARE_FROM_2024 = ["LPC", "LPCC", "LMFT"]  # marriage and family therapists, mental health counselors
CHILDHOOD_DIAGNOSES = [
    {
        "prefix": "F93.0",
        "max_age": 17,
        "severity": "warning",
        "message": "F93.0 is separation anxiety disorder of childhood; the patient is an adult.",
    }
]


@dataclass(frozen=True)
class DemoVersion:
    effective_from: date
    effective_to: date | None
    rules: dict[str, Any]
    notes: str


COMMERCIAL = DemoVersion(
    effective_from=date(2024, 1, 1),
    effective_to=None,
    notes="Commercial plan: CPT midpoint units, modifier 95 with POS 10/02, ABA and long sessions authorized.",
    rules={
        "coding": {
            "unit_rule": "cpt_midpoint",
            "telehealth_pos": "telehealth_pos",
            "video_modifier": "95",
            "audio_only_modifier": "93",
            "max_units_per_day": {"97153": 32},
        },
        "rendering": [
            {"credentials": TECHNICIANS, "codes": ["97153", "97154"], "billing": "supervisor_renders"},
            {"credentials": TECHNICIANS, "codes": [], "billing": "not_allowed"},
        ],
        "prior_auth": [
            {"codes": ["97153", "97155"], "after_visits_per_year": None},
            {"codes": ["90837"], "after_visits_per_year": 20},
        ],
        "diagnosis_age": CHILDHOOD_DIAGNOSES,
        "billing_frequency": "per_session",
    },
)

MEDICAID = DemoVersion(
    effective_from=date(2024, 1, 1),
    effective_to=None,
    notes=(
        "Medicaid MCO: HM/HN/HO/HP on every line, technicians bill with their supervisor on the claim "
        "(RBT: ABA and H2019/H2014; BHT: also behavioral health counseling, H0004), ABA and H2019 "
        "authorized, 52 psychotherapy visits a year, co-signed notes, monthly claims."
    ),
    rules={
        "coding": {
            "unit_rule": "cpt_midpoint",
            "practitioner_modifiers": True,
            "telehealth_pos": "telehealth_pos",
            "video_modifier": "95",
            "audio_only_modifier": "93",
        },
        "rendering": [
            {"credentials": TECHNICIANS, "codes": ["97153", "H2019", "H2014"], "billing": "with_supervisor"},
            # what the demo's BHT documents: counseling under the LCSW's supervision (state Medicaid
            # plans commonly pay H0004 by supervised paraprofessionals; Medicare and the commercial plan do not)
            {"credentials": ["BHT"], "codes": ["H0004"], "billing": "with_supervisor"},
            {"credentials": TECHNICIANS, "codes": [], "billing": "not_allowed"},
        ],
        "prior_auth": [{"codes": [*ABA_CODES, "H2019"], "after_visits_per_year": None}],
        "visit_limits": [
            {"name": "Psychotherapy", "codes": PSYCHOTHERAPY_VISIT_CODES, "visits_per_year": 52},
        ],
        "diagnosis_age": CHILDHOOD_DIAGNOSES,
        "billing_frequency": "monthly",
        "cosign_required": True,
    },
)


def _medicare(
    effective_from: date, effective_to: date | None, clinicians: list[str], notes: str
) -> DemoVersion:
    return DemoVersion(
        effective_from=effective_from,
        effective_to=effective_to,
        notes=notes,
        rules={
            "coding": {
                "unit_rule": "cms_8_minute",
                "telehealth_pos": "telehealth_pos",
                "video_modifier": "",
                "audio_only_modifier": "93",
                "distinct_modifier": "XE",
            },
            "rendering": [{"credentials": clinicians, "codes": [], "billing": "rendering"}],
            "unlisted_rendering": "not_allowed",
            "billing_frequency": "per_session",
            "timely_filing_days": 365,
            "appeal_window_days": 120,
        },
    )


MEDICARE = [
    _medicare(
        date(2023, 1, 1),
        date(2023, 12, 31),
        MEDICARE_CLINICIANS,
        "Medicare Part B 2023: licensed clinicians only; counselors and MFTs could not enrol yet.",
    ),
    _medicare(
        date(2024, 1, 1),
        None,
        [*MEDICARE_CLINICIANS, *MEDICARE_FROM_2024],
        "Medicare Part B from 2024: LPCs, LPCCs and LMFTs enrol and bill; no technicians (no BHT/RBT).",
    ),
]

SELF_PAY = DemoVersion(
    effective_from=date(2024, 1, 1),
    effective_to=None,
    notes="Self-pay: the CPT rules alone (for superbills and good-faith estimates).",
    rules={},
)


class _HasPk(Protocol):
    """A payer row (or anything with its pk)."""

    @property
    def pk(self) -> Any: ...


DEMO_RULES: Mapping[str, list[DemoVersion]] = {
    "commercial": [COMMERCIAL],
    "medicaid": [MEDICAID],
    "medicare": MEDICARE,
    "self_pay": [SELF_PAY],
}


def demo_payer_rules_seed(*, access: PracticeAccess, payers_by_kind: Mapping[str, _HasPk | int]) -> int:
    """Create the demo rule sets for the given payers; return how many versions were created."""
    created = 0
    for kind, versions in DEMO_RULES.items():
        payer = payers_by_kind.get(kind)
        if payer is None:
            continue
        payer_pk = payer if isinstance(payer, int) else payer.pk
        existing = {span.effective_from for span in selectors.rule_set_spans(payer_pk=payer_pk)}
        for version in sorted(versions, key=lambda v: v.effective_from):
            if version.effective_from in existing:
                continue
            payer_rule_set_create(
                access=access,
                payer_pk=payer_pk,
                effective_from=version.effective_from,
                effective_to=version.effective_to,
                rules=version.rules,
                notes=version.notes,
            )
            created += 1
    return created
