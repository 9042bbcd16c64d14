"""CARC/RARC -> our label, root-cause category and recommended action (pitfalls D1, D4, R5).

`denial_from_adjustments` decides whether an ERA line is a denial and for how much;
`classify` explains it. Both are pure: the caller passes the facts (the service code and
diagnoses for parity, whether an authorization covering the date is on file)."""

from __future__ import annotations

from dataclasses import dataclass

from denials.domain.table import UNKNOWN, denial_table
from remittance.domain.codes import carc as remittance_carc
from remittance.domain.codes import rarc as remittance_rarc

SHARE_CATEGORY = "patient_responsibility"  # deductible, coinsurance, copay: the patient's share


@dataclass(frozen=True, slots=True)
class Adjustment:
    group: str  # CO, PR, OA, PI, CR
    carc: str
    cents: int


@dataclass(frozen=True, slots=True)
class DenialDraft:
    """What an ERA line denies: the main adjustment (largest) decides group and category."""

    group: str
    carc: str
    carcs: tuple[str, ...]  # every denied "GROUP-CARC" on the line, main first
    cents: int


@dataclass(frozen=True, slots=True)
class CodeLabel:
    code: str
    label: str
    known: bool


@dataclass(frozen=True, slots=True)
class Classification:
    group: str
    carc: CodeLabel
    rarcs: tuple[CodeLabel, ...]
    category: str
    category_label: str
    kind: str  # front_end (fix and resubmit), clinical (appeal with records), payer, unknown
    action: str
    action_label: str
    why: str  # one sentence: why this action
    parity_candidate: bool
    appeal_rights: bool  # False for rejections and "unprocessable" remarks (D5)


def _is_share(adjustment: Adjustment) -> bool:
    return adjustment.group == "PR" and remittance_carc(adjustment.carc).category == SHARE_CATEGORY


def _is_contractual(adjustment: Adjustment) -> bool:
    rule = denial_table().carcs.get(adjustment.carc)
    return adjustment.group == "CO" and rule is not None and rule.category == "contractual"


def denial_from_adjustments(adjustments: tuple[Adjustment, ...], *, paid_cents: int) -> DenialDraft | None:
    """The denial on one ERA line, or None.

    - The patient's share (PR-1/2/3) is never a denial (R14, D8: PR excluded from "denials").
    - Contractual reductions (CO-45, CO-253) are not denials, unless they take the line to zero
      alone: then a human looks (category "contractual").
    - Every other adjustment (CO, OA, PI, CR, and PR for a non-covered service) is denied money.
    """
    positive = [a for a in adjustments if a.cents > 0]
    denied = [a for a in positive if not _is_share(a) and not _is_contractual(a)]
    if not denied and paid_cents == 0 and positive and all(_is_contractual(a) for a in positive):
        denied = positive
    if not denied:
        return None
    main = max(denied, key=lambda a: (a.cents, a.group == "CO"))
    ordered = [main, *(a for a in denied if a is not main)]
    return DenialDraft(
        group=main.group,
        carc=main.carc,
        carcs=tuple(dict.fromkeys(f"{a.group}-{a.carc}" for a in ordered)),
        cents=sum(a.cents for a in denied),
    )


def is_mh_sud_service(code: str, diagnoses: tuple[str, ...] = ()) -> bool:
    """A mental-health or substance-use service: by its code, or a primary F-code diagnosis."""
    rule = denial_table().parity
    code = code.strip().upper()
    if code in rule.codes or code.startswith(rule.code_prefixes):
        return True
    primary = diagnoses[0].strip().upper() if diagnoses else ""
    return bool(primary) and primary.startswith(rule.diagnosis_prefixes)


def _code_label(code: str) -> CodeLabel:
    rule = denial_table().carcs.get(code)
    if rule is not None:
        return CodeLabel(code, rule.label, True)
    info = remittance_carc(code)  # remittance's table knows the patient-share codes
    return CodeLabel(code, info.label, info.known)


def classify(
    *,
    group: str,
    carc: str,
    rarcs: tuple[str, ...] = (),
    service_code: str = "",
    diagnoses: tuple[str, ...] = (),
    auth_on_file: bool = False,
    rejected: bool = False,
) -> Classification:
    table = denial_table()
    rule = table.carcs.get(carc)
    category, action = (rule.category, rule.action) if rule else (UNKNOWN, "look_up_code")
    why = (
        f"{_code_label(carc).label}."
        if rule
        else f"Code {carc or '(none)'} is not in Parity's denial table: look it up; nothing happens on its own."
    )
    for refinement in table.refinements:
        if refinement.carc != carc:
            continue
        if refinement.group and refinement.group != group:
            continue
        if refinement.rarc and refinement.rarc not in rarcs:
            continue
        category, action, why = refinement.category, refinement.action, f"The payer says {refinement.why}."
        break
    if carc in {"197", "15"} and auth_on_file:  # D1: the auth existed but was not on the claim
        action = "correct_and_resubmit"
        why = "An authorization covering the date of service is on file: send a corrected claim with it (REF*G1)."
    if action == "transfer_to_patient" and group != "PR":  # D6: never a CO amount
        action = "write_off" if group == "CO" else "appeal"
    appeal_rights = not rejected and not any(r in table.no_appeal_rarcs for r in rarcs)
    if not appeal_rights and action == "appeal":  # D5
        action = "correct_and_resubmit"
        why = "The claim never reached adjudication (rejected or unprocessable): correct and resubmit; there is nothing to appeal."
    parity = carc in table.parity.carcs and is_mh_sud_service(service_code, diagnoses) and appeal_rights
    if parity:
        why = "A visit limit on a mental-health or substance-use service: a candidate for a parity (MHPAEA) appeal."
    return Classification(
        group=group,
        carc=_code_label(carc),
        rarcs=tuple(
            CodeLabel(code, remittance_rarc(code).label, remittance_rarc(code).known) for code in rarcs
        ),
        category=category,
        category_label=table.categories.get(category, category),
        kind=table.category_kinds.get(category, UNKNOWN),
        action=action,
        action_label=table.actions.get(action, action),
        why=why,
        parity_candidate=parity,
        appeal_rights=appeal_rights,
    )
