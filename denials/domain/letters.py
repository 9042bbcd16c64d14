"""The appeal letter's content: the argument for the denial's category (our own words), the
parity (MHPAEA) argument for a visit limit on a mental-health or substance-use service, and
the list of enclosed evidence from what exists for the claim (D2, D7). Nothing is sent
automatically: the letter is a PDF a person reviews, signs and sends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.formatting import date_label

ARGUMENTS: dict[str, tuple[str, ...]] = {
    "eligibility": (
        "The patient's coverage was active on the date of service. The enclosed eligibility "
        "response, received before the service, shows the plan and the member as active.",
        "We ask that the claim be reprocessed under the coverage in force on that date.",
    ),
    "authorization": (
        "The service was authorized, or the circumstances did not allow authorization in advance. "
        "The enclosed authorization covers the date of service and the units billed.",
        "We ask that the claim be reprocessed under that authorization, or that a retroactive "
        "authorization be granted for a service that was clinically needed.",
    ),
    "coding": (
        "The codes billed describe the service documented in the enclosed note. The time, "
        "participants and place of service recorded support the procedure and modifiers billed.",
        "We ask that the claim be reprocessed as billed.",
    ),
    "documentation": (
        "The enclosed session notes, signed by the rendering provider (and co-signed where the "
        "payer requires it), document the service, its length and the level billed.",
        "We ask that the claim be reconsidered with these records.",
    ),
    "duplicate": (
        "This claim is not a duplicate: it reports a separate service (a different date, time or "
        "procedure) from the claim the payer cited, as the enclosed notes show.",
        "We ask that each service be processed on its own.",
    ),
    "timely_filing": (
        "The claim was filed within the payer's filing limit. The enclosed clearinghouse "
        "acceptance report shows the date the claim was received.",
        "We ask that the claim be processed as filed on time.",
    ),
    "coordination_of_benefits": (
        "The order of benefits has been confirmed: the enclosed records show which plan is "
        "primary for this patient on the date of service and what the other payer decided.",
        "We ask that the claim be processed in that order.",
    ),
    "medical_necessity": (
        "The service was medically necessary. The enclosed treatment plan states the diagnosis, "
        "the goals and the frequency of care; the session notes show the symptoms treated and the "
        "patient's response.",
        "We ask that the denial be reversed and the service paid.",
    ),
    "contractual": (
        "The amount paid does not match our contract with the payer for this service.",
        "We ask that the claim be reprocessed at the contracted rate.",
    ),
    "credentialing": (
        "The rendering provider was enrolled with the payer on the date of service, as the "
        "enclosed enrollment records show.",
        "We ask that the claim be reprocessed under that enrollment.",
    ),
    "unknown": (
        "We believe the claim was denied in error, for the reasons the enclosed records show.",
        "We ask that the claim be reconsidered.",
    ),
}

PARITY_ARGUMENT: tuple[str, ...] = (
    "This visit limit applies to a mental-health or substance-use disorder service. Under the "
    "Mental Health Parity and Addiction Equity Act, a plan may not apply a treatment limit to "
    "these benefits that is more restrictive than the limits it applies to medical and surgical "
    "benefits in the same classification.",
    "We ask that the plan (1) lift the limit for this patient, or (2) send us the comparative "
    "analysis of this limit that the Act requires the plan to keep, showing how the limit is "
    "set and applied for medical and surgical benefits in the same classification.",
    "[Add here: the medical and surgical benefit you compare with, and any limit it carries.]",
)


@dataclass(frozen=True, slots=True)
class NoteEvidence:
    service_date: dt.date
    label: str  # "90837 with Dana Reyes, LPC"
    addenda: int


@dataclass(frozen=True, slots=True)
class EvidenceFacts:
    notes: tuple[NoteEvidence, ...] = ()
    authorization: str = ""  # "Auth 12345, 1 Jan-30 Jun 2026, 24 visits" or ""
    eligibility: str = ""  # "Active on 2 Mar 2026 (checked 1 Mar 2026)" or ""
    treatment_plan: str = ""  # "Signed 12 Jan 2026, review due 12 Apr 2026" or ""
    acknowledgement: str = ""  # "Accepted by the clearinghouse on 4 Mar 2026 (277CA)" or ""


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    label: str
    detail: str
    present: bool


# What each category's argument leans on; the rest is listed when it exists.
_NEEDS: dict[str, tuple[str, ...]] = {
    "eligibility": ("eligibility",),
    "authorization": ("authorization",),
    "timely_filing": ("acknowledgement",),
    "medical_necessity": ("treatment_plan", "notes"),
    "documentation": ("notes",),
    "coding": ("notes",),
}


def evidence_list(category: str, facts: EvidenceFacts) -> tuple[EvidenceItem, ...]:
    """The enclosures: what exists for the claim, and what the argument needs but is missing."""
    needs = _NEEDS.get(category, ())
    items: list[EvidenceItem] = []
    for note in facts.notes:
        extra = f", with {note.addenda} addend{'um' if note.addenda == 1 else 'a'}" if note.addenda else ""
        items.append(
            EvidenceItem("Session note", f"{date_label(note.service_date)}: {note.label}{extra}", True)
        )
    if not facts.notes and "notes" in needs:
        items.append(
            EvidenceItem("Session note", "No final note found for the service: add it before sending.", False)
        )
    for key, label in (
        ("authorization", "Prior authorization"),
        ("eligibility", "Eligibility record"),
        ("treatment_plan", "Treatment plan"),
        ("acknowledgement", "Proof of timely filing"),
    ):
        value: str = getattr(facts, key)
        if value:
            items.append(EvidenceItem(label, value, True))
        elif key in needs:
            items.append(EvidenceItem(label, "None on file: add it before sending.", False))
    return tuple(items)


def argument(category: str, *, parity: bool) -> tuple[str, ...]:
    return PARITY_ARGUMENT if parity else ARGUMENTS.get(category, ARGUMENTS["unknown"])
