"""Which authorization covers a service, and what is wrong when none does (pure; the scrubber).

An authorization covers a service when it is for the same patient and payer, names the code,
its dates include the date of service, and it names no rendering provider or the service's.
Cancelled authorizations cover nothing; stored "expired"/"exhausted" statuses do not matter
here (a service inside the dates is covered; whether units are left is checked separately).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from authorizations.domain.types import (
    AuthorizationFacts,
    AuthorizationProblemCode,
    AuthStatus,
    ServiceToAuthorize,
    UnitKind,
)
from core.domain.problems import Problem
from core.formatting import date_label


def units_needed(authorization: AuthorizationFacts, service: ServiceToAuthorize) -> int:
    """What the service takes from the authorization: its units, or one visit."""
    return service.units if authorization.unit_kind is UnitKind.UNITS else 1


def _same_patient_payer_code(a: AuthorizationFacts, s: ServiceToAuthorize) -> bool:
    return a.patient_id == s.patient_id and a.payer_id == s.payer_id and s.code.strip().upper() in a.codes


def _in_dates(a: AuthorizationFacts, s: ServiceToAuthorize) -> bool:
    return a.start_on <= s.on <= a.end_on


def _provider_ok(a: AuthorizationFacts, s: ServiceToAuthorize) -> bool:
    return a.rendering_provider_id is None or a.rendering_provider_id == s.provider_id


def covering_authorizations(
    service: ServiceToAuthorize, authorizations: Sequence[AuthorizationFacts]
) -> list[AuthorizationFacts]:
    """Every authorization that covers the service, the preferred one first."""
    candidates = [
        a
        for a in authorizations
        if a.status is not AuthStatus.CANCELLED
        and _same_patient_payer_code(a, service)
        and _in_dates(a, service)
        and _provider_ok(a, service)
    ]
    return sorted(
        candidates,
        key=lambda a: (
            a.remaining_for(service.code.strip().upper()) < units_needed(a, service),  # enough left first
            a.rendering_provider_id is None,  # then one made out to this provider
            a.end_on,  # then the one that ends first (use it before it expires)
            a.authorization_id,
        ),
    )


def authorization_for(
    service: ServiceToAuthorize, authorizations: Sequence[AuthorizationFacts]
) -> AuthorizationFacts | None:
    """The authorization a service bills against (its number goes on the claim), or None."""
    covering = covering_authorizations(service, authorizations)
    return covering[0] if covering else None


@dataclass(frozen=True, slots=True)
class AuthorizationCheck:
    authorization: AuthorizationFacts | None
    problems: tuple[Problem, ...]

    @property
    def number(self) -> str | None:
        return self.authorization.number if self.authorization is not None else None


def authorization_check(
    service: ServiceToAuthorize, authorizations: Sequence[AuthorizationFacts]
) -> AuthorizationCheck:
    """The covering authorization and, when something is off, why (for a service that needs one).

    Problems: none on file for the patient, payer and code; one on file but not for the date,
    only for another rendering provider, or cancelled; or too few units/visits left.
    """
    code = service.code.strip().upper()
    match = authorization_for(service, authorizations)
    if match is not None:
        needed = units_needed(match, service)
        cap = match.cap_for(code)
        if match.remaining_for(code) < needed:
            what = "units" if match.unit_kind is UnitKind.UNITS else "visits"
            if cap is not None and cap.remaining < match.remaining:
                of = f"of {cap.label}" if len(cap.codes) > 1 else f"of {code}"
                message = (
                    f"Authorization {match.number} allows {cap.units} {what} {of} and has "
                    f"{max(cap.remaining, 0)} left for them; this {code} line needs {needed}."
                )
            else:
                message = (
                    f"Authorization {match.number} has {max(match.remaining, 0)} {what} left; "
                    f"this {code} line needs {needed}."
                )
            problem = Problem(
                code=AuthorizationProblemCode.UNITS_EXCEEDED,
                message=message,
                field="prior_authorization",
                fix_hint="Ask the payer for more units, or bill only what is authorized.",
            )
            return AuthorizationCheck(authorization=match, problems=(problem,))
        return AuthorizationCheck(authorization=match, problems=())
    related = [a for a in authorizations if _same_patient_payer_code(a, service)]
    live = [a for a in related if a.status is not AuthStatus.CANCELLED]
    if live and not any(_in_dates(a, service) for a in live):
        spans = "; ".join(f"{a.number} {date_label(a.start_on)} to {date_label(a.end_on)}" for a in live)
        problem = Problem(
            code=AuthorizationProblemCode.OUTSIDE_DATES,
            message=f"No authorization for {code} covers {date_label(service.on)} ({spans}).",
            field="prior_authorization",
            fix_hint="Ask the payer for an authorization covering the date of service.",
        )
    elif live:
        problem = Problem(
            code=AuthorizationProblemCode.OTHER_PROVIDER,
            message=f"The authorization for {code} on {date_label(service.on)} names another rendering provider.",
            field="prior_authorization",
            fix_hint="Bill under the authorized provider, or ask the payer to change the authorization.",
        )
    elif related:
        problem = Problem(
            code=AuthorizationProblemCode.CANCELLED,
            message=f"The authorization for {code} was cancelled.",
            field="prior_authorization",
            fix_hint="Ask the payer for a new authorization.",
        )
    else:
        problem = Problem(
            code=AuthorizationProblemCode.MISSING,
            message=f"{code} needs a prior authorization and none is on file for this patient and payer.",
            field="prior_authorization",
            fix_hint="Record the payer's authorization before the claim goes out.",
        )
    return AuthorizationCheck(authorization=None, problems=(problem,))
