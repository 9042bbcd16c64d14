"""What a 999 or a 277CA means for each claim of a batch (pure: no Django).

Three sources, three meanings (pitfalls K1, K2, K3, K5; decision record "batch send and
acknowledgement states"):

* **999** (the clearinghouse's syntax check of the file, per transaction set): a rejected set
  rejects the claims in it, with the error locations (K1: per set, never all-or-nothing); a
  rejected file (AK9 R) rejects every claim in it (K2: none is left "submitted"). An accepted set
  changes no status: a 999 says the file could be read, not that a claim was accepted.
* **clearinghouse 277CA** (sender AY): accepted → `accepted_clearinghouse`; rejected → `rejected`.
* **payer 277CA** (sender PR): accepted → `accepted_payer`; rejected → `rejected`. The
  clearinghouse's acceptance is never shown as the payer's (K3).

An acknowledgement never moves a claim backwards (a late clearinghouse 277CA after the payer's
does nothing but add to the history), and a rejection after the payer accepted the claim is kept
and flagged rather than undoing the payer's acceptance. Rejected, denied and paid stay distinct
(K5): only an 835 (remittance) denies or pays.

Codes are turned into our own plain words and a fix from `claims/data/acknowledgement_codes.json`
(K4): "what to change", never the bare code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from importlib import resources

from edi.reader import read_interchange
from edi.x277ca import ClaimStatus as Ack277Claim
from edi.x277ca import Status as Ack277Status
from edi.x999 import Ack999, SegmentError, SetResult

DATA_PACKAGE = "claims.data"
DATA_FILE = "acknowledgement_codes.json"


class AckSource(StrEnum):
    """Who sent the acknowledgement (values mirror ClaimAcknowledgement.source)."""

    X999 = "999"
    CLEARINGHOUSE_277CA = "clearinghouse_277ca"
    PAYER_277CA = "payer_277ca"


SOURCE_LABELS: Mapping[AckSource, str] = {
    AckSource.X999: "999 from the clearinghouse (file check)",
    AckSource.CLEARINGHOUSE_277CA: "277CA from the clearinghouse",
    AckSource.PAYER_277CA: "277CA from the payer",
}


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    INFO = "info"  # pending, "system unavailable": recorded, no status change


@dataclass(frozen=True, slots=True)
class AckCodes:
    categories: Mapping[str, tuple[str, Outcome]]
    entities: Mapping[str, str]
    status_codes: Mapping[str, tuple[str, str]]  # code -> (label, fix)
    segment_errors: Mapping[str, str]
    element_errors: Mapping[str, str]
    set_errors: Mapping[str, str]


def parse_ack_codes(raw: Mapping[str, object]) -> AckCodes:
    def table(name: str) -> Mapping[str, object]:
        value = raw.get(name)
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            raise ValueError(f"{name}: a table of codes")
        return value

    categories: dict[str, tuple[str, Outcome]] = {}
    for code, entry in table("categories").items():
        if not isinstance(entry, Mapping):
            raise ValueError(f"categories.{code}: label and outcome")
        categories[code] = (str(entry["label"]), Outcome(str(entry["outcome"])))
    status_codes: dict[str, tuple[str, str]] = {}
    for code, entry in table("status_codes").items():
        if not isinstance(entry, Mapping) or not entry.get("label"):
            raise ValueError(f"status_codes.{code}: label and fix")
        status_codes[code] = (str(entry["label"]), str(entry.get("fix", "")))

    def words(name: str) -> dict[str, str]:
        values = table(name)
        if not all(isinstance(v, str) and v for v in values.values()):
            raise ValueError(f"{name}: code -> words")
        return {k: str(v) for k, v in values.items()}

    return AckCodes(
        categories=categories,
        entities=words("entities"),
        status_codes=status_codes,
        segment_errors=words("x999_segment_errors"),
        element_errors=words("x999_element_errors"),
        set_errors=words("x999_set_errors"),
    )


@cache
def ack_codes() -> AckCodes:
    text = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_ack_codes(json.loads(text))


# -- verdicts ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimVerdict:
    """What one acknowledgement says about one claim (by its CLM01, the patient control number)."""

    claim_id: str
    source: AckSource
    outcome: Outcome
    category_code: str
    status_code: str
    message: str  # our plain words, with the code in brackets
    fix: str = ""
    payer_claim_number: str = ""
    transaction_control_number: str = ""  # 999: the ST02 of the set

    @property
    def accepted(self) -> bool:
        return self.outcome is Outcome.ACCEPTED


def status_outcome(category: str) -> Outcome:
    entry = ack_codes().categories.get(category)
    return entry[1] if entry else Outcome.INFO


@dataclass(frozen=True, slots=True)
class StatusCode:
    """One STC01 (or STC10/STC11) composite: category, status code, entity."""

    category: str
    code: str
    entity: str = ""
    free_text: str = ""

    @property
    def outcome(self) -> Outcome:
        return status_outcome(self.category)


def status_codes_of(status: Ack277Status) -> list[StatusCode]:
    """The STC's main composite and its further ones (STC10, STC11), in order."""
    return [StatusCode(status.category, status.code, status.entity, status.free_text)] + [
        StatusCode(category, code, entity) for category, code, entity in status.extra if category
    ]


def explain_status(status: StatusCode) -> tuple[str, str]:
    """(message, fix) for one STC: `A7:562:85` → "Rejected: information not valid — the billing
    provider: NPI is missing or not valid (A7:562:85)" and the fix "Correct the NPI …" (K4)."""
    codes = ack_codes()
    category = codes.categories.get(status.category)
    head = category[0] if category else f"status category {status.category}"
    label, fix = codes.status_codes.get(status.code, ("", ""))
    entity = codes.entities.get(status.entity, "")
    what = label or (f"status code {status.code}" if status.code else "")
    if entity and what:
        what = f"{entity}: {what}"
    ref = ":".join(part for part in (status.category, status.code, status.entity) if part)
    message = f"{head[:1].upper()}{head[1:]}" + (f" — {what}" if what else "") + f" ({ref})"
    if status.free_text:
        message += f". Note: {status.free_text}"
    if not fix and status.outcome is Outcome.REJECTED:
        fix = "Correct what the message names, re-scrub the claim and resubmit it (a rejection is fixed, not appealed)."
    return message, fix


def verdict_277ca(claim: Ack277Claim, *, from_clearinghouse: bool) -> ClaimVerdict:
    """One claim of a 277CA: rejected if any status rejects it (the first rejection is the reason,
    all are in the message), accepted if a status accepts it, otherwise information only."""
    source = AckSource.CLEARINGHOUSE_277CA if from_clearinghouse else AckSource.PAYER_277CA
    every = [code for status in claim.statuses for code in status_codes_of(status)]
    rejected = [s for s in every if s.outcome is Outcome.REJECTED]
    accepted = [s for s in every if s.outcome is Outcome.ACCEPTED]
    if rejected:
        outcome, chosen = Outcome.REJECTED, rejected
    elif accepted:
        outcome, chosen = Outcome.ACCEPTED, accepted[:1]
    else:
        outcome, chosen = Outcome.INFO, every[:1]
    explained = [explain_status(s) for s in chosen]
    message = "; ".join(m for m, _ in explained) or "No status given"
    fix = " ".join(dict.fromkeys(f for _, f in explained if f))
    first = chosen[0] if chosen else None
    return ClaimVerdict(
        claim_id=claim.claim_id,
        source=source,
        outcome=outcome,
        category_code=first.category if first else "",
        status_code=first.code if first else "",
        message=message,
        fix=fix,
        payer_claim_number=claim.payer_claim_control_number,
    )


def _element_label(segment_id: str, position: str) -> str:
    element, _, component = position.partition(":")
    label = f"{segment_id}{int(element):02d}" if element.isdigit() else f"{segment_id}{element}"
    return f"{label}-{component}" if component else label


def describe_segment_error(error: SegmentError) -> str:
    """`IK3*CLM*23*2300*8` + `IK4*5:3*1325*7*X` → "segment CLM (position 23, loop 2300): a segment
    with element errors — CLM05-3 (element 1325): a code that is not allowed ("X")"."""
    codes = ack_codes()
    where = f"segment {error.segment_id} (position {error.position}" + (
        f", loop {error.loop})" if error.loop else ")"
    )
    text = f"{where}: {codes.segment_errors.get(error.code, f'error {error.code}')}"
    details = []
    for element in error.elements:
        detail = (
            f"{_element_label(error.segment_id, element.position)} (element {element.reference}): "
            f"{codes.element_errors.get(element.code, f'error {element.code}')}"
        )
        if element.bad_value:
            detail += f' ("{element.bad_value}")'
        details.append(detail)
    return text + (" — " + "; ".join(details) if details else "")


def describe_set(result: SetResult) -> str:
    codes = ack_codes()
    parts = [codes.set_errors.get(code, f"error {code}") for code in result.codes]
    parts += [describe_segment_error(error) for error in result.errors]
    return "; ".join(parts)


def verdicts_999(ack: Ack999, claims_by_set: Mapping[str, Sequence[str]]) -> list[ClaimVerdict]:
    """Per claim of the acknowledged group: rejected when its transaction set was (K1), or when
    the whole file was (AK9 R with no set named as accepted: K2); otherwise accepted (the file
    could be read). `claims_by_set` maps each ST02 sent to the CLM01s in that set."""
    results = {result.control_number: result for result in ack.sets}
    file_rejected = ack.group_status not in {"A", "E", "P"}
    verdicts: list[ClaimVerdict] = []
    for control, claim_ids in claims_by_set.items():
        result = results.get(control)
        if result is not None and not result.accepted:
            detail = describe_set(result)
            message = (
                f"Rejected by the clearinghouse's file check: transaction {control} {result.status_label}"
                + (f" — {detail}" if detail else "")
            )
            outcome, category, code = Outcome.REJECTED, "IK5", result.status
        elif result is None and file_rejected:
            message = (
                "The clearinghouse rejected the whole file (999 AK9 "
                f"{ack.group_status}): no claim in it reached the payer"
            )
            outcome, category, code = Outcome.REJECTED, "AK9", ack.group_status
        else:
            status = result.status if result is not None else ack.group_status
            message = f"File check passed for transaction {control} (999 {status})"
            outcome, category, code = Outcome.ACCEPTED, "IK5" if result else "AK9", status
        fix = (
            "Resubmit after correcting the data the error names (the claim never reached the payer)."
            if outcome is Outcome.REJECTED
            else ""
        )
        verdicts += [
            ClaimVerdict(
                claim_id=claim_id,
                source=AckSource.X999,
                outcome=outcome,
                category_code=category,
                status_code=code,
                message=message,
                fix=fix,
                transaction_control_number=control,
            )
            for claim_id in claim_ids
        ]
    return verdicts


def claims_by_transaction(x12: str) -> dict[str, list[str]]:
    """The CLM01s of each transaction set (ST02) of an 837 file as sent."""
    interchange = read_interchange(x12)
    found: dict[str, list[str]] = {}
    for transaction in interchange.transactions:
        found[transaction.control_number] = [s.get(1) for s in transaction.segments if s.id == "CLM"]
    return found


def group_control_number(x12: str) -> str:
    """The GS06 of an 837 as sent (the 999's AK102 names it)."""
    interchange = read_interchange(x12)
    return interchange.groups[0][0].get(6) if interchange.groups else ""


# -- status changes ------------------------------------------------------------------------------

_AWAITING = ("submitted", "accepted_clearinghouse")
_RANK = {"submitted": 0, "accepted_clearinghouse": 1, "accepted_payer": 2}


def status_after(current: str, verdict_source: AckSource, outcome: Outcome) -> str | None:
    """The claim's next status after an acknowledgement, or None (recorded only).

    Only claims still waiting for acknowledgements move (submitted, accepted_clearinghouse), and
    only forwards; a 999's acceptance moves nothing (K1: "stays sent"); the clearinghouse's
    acceptance is never the payer's (K3)."""
    if current not in _AWAITING:
        return None
    if outcome is Outcome.REJECTED:
        return "rejected"
    if outcome is not Outcome.ACCEPTED or verdict_source is AckSource.X999:
        return None
    target = "accepted_clearinghouse" if verdict_source is AckSource.CLEARINGHOUSE_277CA else "accepted_payer"
    return target if _RANK[target] > _RANK[current] else None


# -- K7: claims that never hear back -----------------------------------------------------------


def missing_acknowledgement(
    *,
    status: str,
    submitted_at: datetime | None,
    now: datetime,
    has_999: bool,
    has_payer_277ca: bool,
    days_999: int,
    days_277ca: int,
) -> str:
    """Why a submitted claim looks stuck ("" when it does not): no 999 after `days_999` days, or
    no payer 277CA after `days_277ca` days (K7)."""
    if status not in _AWAITING or submitted_at is None:
        return ""
    age = now - submitted_at
    if not has_999 and status == "submitted" and age > timedelta(days=days_999):
        return f"No 999 from the clearinghouse in {days_999} days: check that the file arrived."
    if not has_payer_277ca and age > timedelta(days=days_277ca):
        return (
            f"No acknowledgement (277CA) from the payer in {days_277ca} days: "
            "ask the clearinghouse or check the claim's status with the payer."
        )
    return ""
