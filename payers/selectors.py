"""Reads of payers and payer enrolments, scoped to the current practice."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Count, Q

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from core.directory import last_era_received_on
from core.errors import NotFound
from payers.models import Payer, PayerEnrollment

# Choices for forms and API input (so the web layer need not import models).
KIND_CHOICES: list[tuple[str, str]] = list(Payer.Kind.choices)
CLAIM_FILING_INDICATOR_CHOICES: list[tuple[str, str]] = list(Payer.ClaimFilingIndicator.choices)
ENROLLMENT_STATUS_CHOICES: list[tuple[str, str]] = list(PayerEnrollment.Status.choices)
ERA_ENROLLMENT_CHOICES: list[tuple[str, str]] = list(Payer.EraEnrollment.choices)


@dataclass(frozen=True, slots=True)
class PayerSummary:
    payer_pk: int
    name: str
    kind: str
    kind_label: str
    payer_id: str
    claim_filing_indicator: str
    claim_filing_indicator_label: str
    timely_filing_days: int
    appeal_window_days: int
    is_active: bool
    enrolled_count: int
    era_enrollment_label: str = ""  # R19: enrolled to receive this payer's ERAs?
    era_enrolled_on: date | None = None
    last_era_on: date | None = None  # derived from the ERAs received (remittance)


def payer_list(*, access: PracticeAccess, active_only: bool = False) -> list[PayerSummary]:
    """The practice's payers with how many providers are enrolled with each (one query)."""
    return payer_page(access=access, active_only=active_only).payers


@dataclass(frozen=True, slots=True)
class PayerPage:
    payers: list[PayerSummary]
    total: int


def payer_page(
    *, access: PracticeAccess, active_only: bool = False, offset: int = 0, limit: int | None = None
) -> PayerPage:
    """One page (every payer when `limit` is None) of `payer_list`, filtered then cut."""
    access.require(Capability.PAYER_VIEW)
    payers = Payer.objects.filter(practice_id=access.practice_id)
    if active_only:
        payers = payers.filter(is_active=True)
    total = None if limit is None else payers.count()
    payers = payers.annotate(
        enrolled=Count("enrollments", filter=Q(enrollments__status=PayerEnrollment.Status.ENROLLED))
    ).order_by("name", "pk")
    if limit is not None:
        payers = payers[offset : offset + limit]
    rows = [
        PayerSummary(
            payer_pk=p.pk,
            name=p.name,
            kind=p.kind,
            kind_label=p.get_kind_display(),
            payer_id=p.payer_id,
            claim_filing_indicator=p.claim_filing_indicator,
            claim_filing_indicator_label=p.get_claim_filing_indicator_display(),
            timely_filing_days=p.timely_filing_days,
            appeal_window_days=p.appeal_window_days,
            is_active=p.is_active,
            enrolled_count=p.enrolled,
            era_enrollment_label=p.get_era_enrollment_display(),
            era_enrolled_on=p.era_enrolled_on,
        )
        for p in payers
    ]
    last_era = last_era_received_on(practice_id=access.practice_id, payer_ids=[r.payer_id for r in rows])
    rows = [replace(r, last_era_on=last_era.get(r.payer_id)) for r in rows]
    return PayerPage(payers=rows, total=len(rows) if total is None else total)


def payer_get(*, access: PracticeAccess, payer_pk: int) -> Payer:
    access.require(Capability.PAYER_VIEW)
    payer = Payer.objects.filter(pk=payer_pk, practice_id=access.practice_id).first()
    if payer is None:
        raise NotFound()
    return payer


@dataclass(frozen=True, slots=True)
class PayerEra:
    """R19 on the payer's page: its ERA enrolment and the last ERA received from it."""

    enrollment_label: str
    enrolled_on: date | None
    last_era_on: date | None


def payer_era_for_user(*, access: PracticeAccess, payer_pk: int) -> PayerEra:
    payer = payer_get(access=access, payer_pk=payer_pk)
    last = last_era_received_on(practice_id=access.practice_id, payer_ids=[payer.payer_id])
    return PayerEra(payer.get_era_enrollment_display(), payer.era_enrolled_on, last.get(payer.payer_id))


def payer_choices(
    *, access: PracticeAccess, include_self_pay: bool = False, active_only: bool = True
) -> list[tuple[int, str]]:
    payers = Payer.objects.filter(practice_id=access.practice_id)
    if active_only:
        payers = payers.filter(is_active=True)
    if not include_self_pay:
        payers = payers.exclude(kind=Payer.Kind.SELF_PAY)
    return list(payers.order_by("name", "pk").values_list("pk", "name"))


def enrollment_list_for_payer(*, access: PracticeAccess, payer_pk: int) -> list[PayerEnrollment]:
    access.require(Capability.PAYER_VIEW)
    return list(
        PayerEnrollment.objects.filter(payer_id=payer_pk, payer__practice_id=access.practice_id)
        .select_related("provider")
        .order_by("provider__last_name", "provider__first_name", "pk")
    )


def enrollment_get(*, access: PracticeAccess, provider_id: int, payer_pk: int) -> PayerEnrollment | None:
    access.require(Capability.PAYER_VIEW)
    return PayerEnrollment.objects.filter(
        provider_id=provider_id, payer_id=payer_pk, payer__practice_id=access.practice_id
    ).first()


@dataclass(frozen=True, slots=True)
class PayerTerms:
    """What payer rules need of a payer: its kind and windows (configuration, no PHI)."""

    payer_pk: int
    practice_id: int
    name: str
    kind: str
    kind_label: str
    payer_id: str  # the electronic payer ID ("" for self-pay)
    timely_filing_days: int
    appeal_window_days: int


def _terms(payer: Payer) -> PayerTerms:
    return PayerTerms(
        payer_pk=payer.pk,
        practice_id=payer.practice_id,
        name=payer.name,
        kind=payer.kind,
        kind_label=payer.get_kind_display(),
        payer_id=payer.payer_id,
        timely_filing_days=payer.timely_filing_days,
        appeal_window_days=payer.appeal_window_days,
    )


def payer_terms_for_user(*, access: PracticeAccess, payer_pk: int) -> PayerTerms:
    """The practice's payer (PAYER_VIEW); another practice's and a missing one raise NotFound."""
    return _terms(payer_get(access=access, payer_pk=payer_pk))


def payer_terms(*, payer_pk: int) -> PayerTerms | None:
    """A system read for payer_rules (one query, no access check, no audit: no PHI)."""
    payer = (
        Payer.objects.filter(pk=payer_pk)
        .only("pk", "practice_id", "name", "kind", "payer_id", "timely_filing_days", "appeal_window_days")
        .first()
    )
    return _terms(payer) if payer is not None else None


def payers_terms(*, payer_pks: Iterable[int]) -> dict[int, PayerTerms]:
    """`payer_terms` for many payers in one query (absent when not found)."""
    payers = Payer.objects.filter(pk__in=set(payer_pks)).only(
        "pk", "practice_id", "name", "kind", "payer_id", "timely_filing_days", "appeal_window_days"
    )
    return {p.pk: _terms(p) for p in payers}


# ---- facts for billing (claims reads these; plain values) ---------------------------------------


@dataclass(frozen=True, slots=True)
class EnrollmentSpan:
    status: str  # PayerEnrollment.Status values
    effective_on: date | None
    ends_on: date | None


def enrollments_with_payer(*, provider_ids: Iterable[int], payer_pk: int) -> dict[int, EnrollmentSpan]:
    """Provider id -> their enrolment with the payer (one query; providers without one are absent)."""
    rows = PayerEnrollment.objects.filter(provider_id__in=set(provider_ids), payer_id=payer_pk).values_list(
        "provider_id", "status", "effective_on", "ends_on"
    )
    return {
        provider_id: EnrollmentSpan(status=status, effective_on=start, ends_on=end)
        for provider_id, status, start, end in rows
    }


def payer_in_practice(*, practice_id: int, payer_pk: int) -> bool:
    return Payer.objects.filter(pk=payer_pk, practice_id=practice_id).exists()


# ---- a payer named by its electronic payer ID (the suggest_codes command) ---------------------


@dataclass(frozen=True, slots=True)
class PayerRef:
    payer_pk: int
    practice_id: int
    name: str
    kind: str
    payer_id: str


def payer_for_coding(*, payer_id: str) -> PayerRef:
    """The payer with electronic payer ID `payer_id` (any practice; the first by practice, then pk).

    Raises NotFound. Used by the `suggest_codes` command until coding runs per practice.
    """
    payer = (
        Payer.objects.filter(payer_id=payer_id.strip())
        .exclude(payer_id="")
        .order_by("practice_id", "pk")
        .only("pk", "practice_id", "name", "kind", "payer_id")
        .first()
    )
    if payer is None:
        raise NotFound(f"No payer has the electronic payer ID {payer_id.strip()!r}.")
    return PayerRef(
        payer_pk=payer.pk,
        practice_id=payer.practice_id,
        name=payer.name,
        kind=payer.kind,
        payer_id=payer.payer_id,
    )


def providers_not_enrolled_count(*, access: PracticeAccess, provider_ids: Iterable[int]) -> int:
    """How many of `provider_ids` are enrolled with none of the practice's active payers (one
    query; the home page's "providers without enrolment")."""
    access.require(Capability.PROVIDER_VIEW)
    enrolled = PayerEnrollment.objects.filter(
        payer__practice_id=access.practice_id, payer__is_active=True, status=PayerEnrollment.Status.ENROLLED
    ).values("provider_id")
    return len(set(provider_ids)) - len(
        set(enrolled.filter(provider_id__in=provider_ids).values_list("provider_id", flat=True))
    )


def insurance_payer_ids(*, access: PracticeAccess) -> list[int]:
    """The practice's active payers other than self-pay."""
    access.require(Capability.PAYER_VIEW)
    return list(
        Payer.objects.filter(practice_id=access.practice_id, is_active=True)
        .exclude(kind=Payer.Kind.SELF_PAY)
        .values_list("pk", flat=True)
    )
