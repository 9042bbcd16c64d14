"""Default coding rules per kind of payer, until payers' own rules are configured.

`payer_kind_coding_rules` is the one place that turns a payer's kind into `PayerCodingRules`.
The payer-rules capability replaces its caller (`coding.selectors.coding_rules_for_payer`) with
rules configured per payer and versioned by date; these defaults stay as the starting point.

* medicaid: practitioner-level modifiers, HCPCS for technicians' ABA (97153 -> H2019), 95/93.
* medicare: CMS 8-minute rule, POS 02/10 with no audio-video modifier, 93 for audio-only,
  X modifiers (XE) for distinct services (DOMAIN 2 and 4b); only the credentials Medicare enrols
  render (LMSW, counselors without a licence Medicare recognises, technicians and peers do not).
* commercial (and other kinds): CPT midpoint rule, 95/93, POS 02/10.
"""

from __future__ import annotations

from coding.domain.scope_of_practice import scope_table
from coding.domain.types import CodeSubstitution, PayerCodingRules, PayerScope, PayerScopeRule, UnitRule

# Medicare Part B enrols physicians, NPs, PAs, clinical psychologists, clinical social workers and,
# from 2024-01-01, marriage and family therapists and mental health counselors (CMS Benefit Policy
# Manual ch. 15 s. 160, 170, 290). Kind defaults have no dates: a rule-set version for 2023
# leaves out LPC/LPCC/LMFT (the demo's Medicare rules do).
MEDICARE_CREDENTIALS = frozenset({"MD/DO", "PMHNP", "PA", "PhD/PsyD", "LCSW", "LPC", "LPCC", "LMFT"})


def payer_kind_coding_rules(kind: str, *, name: str = "") -> PayerCodingRules:
    """The default rules for a payer of `kind` (payers.Payer.Kind values); `name` labels the "why"."""
    label = f"{name} ({kind} defaults)" if name else f"{kind} defaults"
    if kind == "medicaid":
        return PayerCodingRules(
            label=label,
            unit_rule=UnitRule.CPT_MIDPOINT,
            practitioner_modifiers=True,
            video_modifier="95",
            audio_only_modifier="93",
            code_substitutions=(
                CodeSubstitution(
                    from_code="97153", to_code="H2019", credentials=scope_table().group("technicians")
                ),
            ),
        )
    if kind == "medicare":
        return PayerCodingRules(
            label=label,
            unit_rule=UnitRule.CMS_8_MINUTE,
            video_modifier="",
            audio_only_modifier="93",
            distinct_modifier="XE",
            telehealth_configured=True,  # CMS's national telehealth rules (POS 02/10, 93 for audio only)
            scope=PayerScope(
                rules=(PayerScopeRule(credentials=MEDICARE_CREDENTIALS),), unlisted_allowed=False
            ),
        )
    return PayerCodingRules(
        label=label, unit_rule=UnitRule.CPT_MIDPOINT, video_modifier="95", audio_only_modifier="93"
    )
