"""Scrubber checks on the note and the providers (enrolment, licence, NPI, who may render)."""

from __future__ import annotations

from claims.domain.scrubber.common import (
    ScrubCode,
    billed_lines,
    error,
    rules_label,
)
from claims.domain.types import ClaimProvider, ClaimToBe, LineFacts
from core.domain.identifiers import npi_problems
from core.domain.problems import Problem
from core.formatting import date_label
from payer_rules.domain.policy import (
    RenderingBilling,
    RenderingDecision,
    rendering_decision,
)

# ---- the note ----------------------------------------------------------------------------------


def check_note(claim: ClaimToBe) -> list[Problem]:
    note = claim.note
    if not note.is_final:
        return [
            error(
                ScrubCode.NOTE_NOT_FINAL,
                f"The session note is {note.status.replace('_', ' ')}, not final.",
                "note.status",
                "Bill only once the note is signed (and co-signed where required).",
            )
        ]
    # As the notes decide it: a payer's co-signature rule binds authors who work under a
    # supervisor (by credential, or with a supervisor of record on the date); an independently
    # licensed clinician with nobody to co-sign signs alone.
    supervised = note.author_has_supervisor or (claim.rendering is not None and claim.rendering.supervised)
    payer_wants = claim.coverage is not None and claim.policy.cosign_required and supervised
    if (note.requires_cosign or payer_wants) and not note.cosigned:
        who = rules_label(claim) if payer_wants and not note.requires_cosign else "This note"
        return [
            error(
                ScrubCode.NOTE_NOT_COSIGNED,
                f"{who} requires a supervisor's co-signature before billing; the note has none.",
                "note.cosigned",
                "Ask the supervisor to co-sign the note (an addendum can record it).",
            )
        ]
    return []


# ---- providers ---------------------------------------------------------------------------------


def _npi(npi: str, field: str, who: str) -> list[Problem]:
    found = npi_problems(npi, field=field)
    if not found:
        return []
    problem = found[0]
    if problem.code == "npi_missing":
        return [error(ScrubCode.NPI_MISSING, f"The {who} has no NPI.", field, "Record the NPI.")]
    return [
        error(
            ScrubCode.NPI_INVALID,
            f"The {who}'s NPI {npi.strip()!r}: {problem.message}",
            field,
            problem.fix_hint or "Correct the NPI.",
        )
    ]


def _enrolled(claim: ClaimToBe, provider: ClaimProvider, field: str, role: str) -> list[Problem]:
    payer = claim.coverage.payer_name if claim.coverage else "the payer"
    dos = claim.date_of_service
    enrollment = provider.enrollment
    if enrollment is None:
        message = f"The {role} ({provider.name}) has no enrolment with {payer}."
    elif enrollment.active_on(dos):
        return []
    elif enrollment.status != "enrolled":
        message = f"The {role} ({provider.name}) is {enrollment.status.replace('_', ' ')} with {payer}, not enrolled."
    else:
        message = (
            f"The {role}'s ({provider.name}) enrolment with {payer} runs "
            f"{date_label(enrollment.effective_on) or 'open'} to {date_label(enrollment.ends_on) or 'open'}; it does not cover {date_label(dos)}."
        )
    return [
        error(
            ScrubCode.PROVIDER_NOT_ENROLLED,
            message,
            field,
            "Finish credentialing with the payer, or bill under an enrolled provider.",
        )
    ]


def _licensed(claim: ClaimToBe, provider: ClaimProvider, field: str, role: str) -> list[Problem]:
    if provider.supervised or any(lic.valid_on(claim.date_of_service) for lic in provider.licenses):
        return []
    latest = max((lic.expires_on for lic in provider.licenses), default=None)
    detail = f"the latest expired on {latest}" if latest is not None else "none is on file"
    return [
        error(
            ScrubCode.LICENSE_NOT_VALID,
            f"The {role} ({provider.name}) has no licence valid on {date_label(claim.date_of_service)}: {detail}.",
            field,
            "Record the renewed licence, or bill under a licensed provider.",
        )
    ]


def _decisions(claim: ClaimToBe, rendering: ClaimProvider) -> list[tuple[int, LineFacts, RenderingDecision]]:
    return [
        (index, line, rendering_decision(claim.policy, credential=rendering.credential, code=line.code))
        for index, line in billed_lines(claim)
    ]


def check_providers(claim: ClaimToBe) -> list[Problem]:
    """NPIs (billing, rendering, supervising), who the payer lets render each code and who the
    claim names (rendering, or the supervisor as supervising/rendering provider), enrolment with
    the payer and licences on the date of service."""
    problems = _npi(claim.billing_npi, "billing_provider.npi", "billing provider")
    rendering = claim.rendering
    if rendering is None:
        problems.append(
            error(
                ScrubCode.RENDERING_MISSING,
                "No rendering provider is named.",
                "rendering_provider",
                "Set the note's author as the rendering provider.",
            )
        )
        return problems
    supervising = claim.supervising
    decisions = _decisions(claim, rendering) if claim.coverage is not None else []
    for index, _line, decision in decisions:
        if not decision.allowed:
            problems.append(
                error(
                    ScrubCode.CREDENTIAL_CANNOT_RENDER,
                    decision.message,  # the scope-of-practice rule's words (national or the payer's)
                    f"lines[{index}].code",
                    decision.fix_hint,
                )
            )
    billings = {d.billing for _, _, d in decisions if d.allowed}
    supervisor_needed = bool(
        billings & {RenderingBilling.WITH_SUPERVISOR, RenderingBilling.SUPERVISOR_RENDERS}
    )
    # When the payer pays none of the lines from this credential, the performer is still checked:
    # every finding shows at once, not after the first one is fixed (issue 8, item 13).
    performer_on_claim = (
        claim.coverage is None
        or not billings
        or bool(billings & {RenderingBilling.RENDERING, RenderingBilling.WITH_SUPERVISOR})
    )
    if supervisor_needed and supervising is None:
        problems.append(
            error(
                ScrubCode.SUPERVISOR_REQUIRED,
                f"{rules_label(claim)}: services by a {rendering.credential} are billed under a supervisor, and "
                f"none supervised {rendering.name} on {date_label(claim.date_of_service)}.",
                "supervising_provider",
                "Record the supervision on the date of service, then re-scrub.",
            )
        )
    if performer_on_claim:
        problems += _npi(rendering.npi, "rendering_provider.npi", "rendering provider")
        problems += _licensed(claim, rendering, "rendering_provider.licenses", "rendering provider")
    if supervising is not None and (supervisor_needed or claim.coverage is None):
        problems += _npi(supervising.npi, "supervising_provider.npi", "supervising provider")
        problems += _licensed(claim, supervising, "supervising_provider.licenses", "supervising provider")
    if claim.coverage is not None:
        if billings and performer_on_claim and not (rendering.supervised and supervisor_needed):
            problems += _enrolled(claim, rendering, "rendering_provider.enrollment", "rendering provider")
        if supervisor_needed and supervising is not None:
            problems += _enrolled(
                claim, supervising, "supervising_provider.enrollment", "supervising provider"
            )
    return problems
