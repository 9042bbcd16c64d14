"""Reads of payers and payer enrolments, scoped to the current practice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from coding.domain.payer_defaults import payer_kind_coding_rules
from coding.domain.types import PayerCodingRules
from core.errors import ApplicationError, NotFound
from payers.domain.policy import (
    PayerPolicy,
    PolicyTimeline,
    RuleSetVersion,
    VersionSpan,
    default_policy,
    policy_from_document,
    with_payer_windows,
)
from payers.models import Payer, PayerEnrollment, PayerRuleSet
from practice.selectors import practice_today

# Choices for forms and API input (so the web layer need not import models).
KIND_CHOICES: list[tuple[str, str]] = list(Payer.Kind.choices)
CLAIM_FILING_INDICATOR_CHOICES: list[tuple[str, str]] = list(Payer.ClaimFilingIndicator.choices)
ENROLLMENT_STATUS_CHOICES: list[tuple[str, str]] = list(PayerEnrollment.Status.choices)


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
        )
        for p in payers
    ]
    return PayerPage(payers=rows, total=len(rows) if total is None else total)


def payer_get(*, access: PracticeAccess, payer_pk: int) -> Payer:
    access.require(Capability.PAYER_VIEW)
    payer = Payer.objects.filter(pk=payer_pk, practice_id=access.practice_id).first()
    if payer is None:
        raise NotFound()
    return payer


def payer_choices(*, access: PracticeAccess, include_self_pay: bool = False) -> list[tuple[int, str]]:
    payers = Payer.objects.filter(practice_id=access.practice_id, is_active=True)
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


# ---- payer rules, versioned by effective date ------------------------------------------------------
#
# `payer_policy_on` / `payer_coding_rules_on` are THE way the coding (suggest_codes, charges) and
# the scrubber learn a payer's rules on a date: the rule set in force, or coding's defaults for
# the payer's kind when none is. System reads of configuration (no PHI): no access, no audit.


def rule_set_label(payer_name: str, effective_from: date) -> str:
    return f"{payer_name} (rules from {effective_from.isoformat()})"


def _version(rule_set: PayerRuleSet, *, payer_name: str) -> RuleSetVersion:
    policy, problems = policy_from_document(
        rule_set.rules, label=rule_set_label(payer_name, rule_set.effective_from), rule_set_id=rule_set.pk
    )
    if policy is None:  # only a direct database edit gets here: the services store checked documents
        raise ApplicationError(
            f"The rules of {payer_name} from {rule_set.effective_from} cannot be read: {problems[0].message}",
            code="payer_rules_unreadable",
        )
    return RuleSetVersion(
        span=VersionSpan(
            rule_set_id=rule_set.pk,
            effective_from=rule_set.effective_from,
            effective_to=rule_set.effective_to,
        ),
        policy=policy,
    )


def _timeline(payer: Payer, rule_sets: list[PayerRuleSet]) -> PolicyTimeline:
    return PolicyTimeline(
        versions=tuple(_version(rs, payer_name=payer.name) for rs in rule_sets),
        fallback=default_policy(payer_kind_coding_rules(payer.kind, name=payer.name)),
        timely_filing_days=payer.timely_filing_days,
        appeal_window_days=payer.appeal_window_days,
    )


def payer_policy_timeline(*, payer_pk: int) -> PolicyTimeline:
    """All of a payer's rule-set versions (two queries); `.on(day)` gives the policy on a date."""
    payer = (
        Payer.objects.filter(pk=payer_pk)
        .only("pk", "name", "kind", "timely_filing_days", "appeal_window_days")
        .first()
    )
    if payer is None:
        raise NotFound()
    return _timeline(payer, list(PayerRuleSet.objects.filter(payer_id=payer_pk).order_by("effective_from")))


def payer_policy_on(*, payer_pk: int, on: date) -> PayerPolicy:
    """The payer's policy on `on`: the rule set in force (windows defaulted from the payer's
    fields), or the kind defaults when no rule set covers the date. Raises NotFound."""
    payer = (
        Payer.objects.filter(pk=payer_pk)
        .only("pk", "name", "kind", "timely_filing_days", "appeal_window_days")
        .first()
    )
    if payer is None:
        raise NotFound()
    in_force = list(
        PayerRuleSet.objects.filter(payer_id=payer_pk, effective_from__lte=on).exclude(effective_to__lt=on)
    )
    return _timeline(payer, in_force).on(on)


def payer_coding_rules_on(*, payer_pk: int, on: date | None = None) -> PayerCodingRules:
    """The coding rules for the payer on `on` (the practice's today when None): what
    `coding.domain.rules.code_session`/`code_day` take. Falls back to the kind defaults."""
    if on is None:
        practice_id = Payer.objects.filter(pk=payer_pk).values_list("practice_id", flat=True).first()
        if practice_id is None:
            raise NotFound()
        on = practice_today(practice_id=practice_id)
    return payer_policy_on(payer_pk=payer_pk, on=on).coding


def payer_requires_cosign_on(*, payer_pk: int, on: date) -> bool:
    """Whether the payer wants the note co-signed before the service is billed."""
    return payer_policy_on(payer_pk=payer_pk, on=on).cosign_required


def rule_set_spans(*, payer_pk: int) -> list[VersionSpan]:
    return [
        VersionSpan(rule_set_id=pk, effective_from=start, effective_to=end)
        for pk, start, end in PayerRuleSet.objects.filter(payer_id=payer_pk)
        .order_by("effective_from")
        .values_list("pk", "effective_from", "effective_to")
    ]


@dataclass(frozen=True, slots=True)
class RuleSetEntry:
    """One version, read for the screens."""

    rule_set_id: int
    payer_pk: int
    payer_name: str
    effective_from: date
    effective_to: date | None
    notes: str
    created_by: str
    policy: PayerPolicy
    document: dict  # type: ignore[type-arg]  # the stored JSON, for the forms


def payer_rule_sets(*, access: PracticeAccess, payer_pk: int) -> list[RuleSetEntry]:
    """The payer's rule-set versions, newest first (billers and admins)."""
    payer = payer_get(access=access, payer_pk=payer_pk)
    rule_sets = PayerRuleSet.objects.filter(payer_id=payer.pk).select_related("created_by")
    return [_entry(rs, payer) for rs in rule_sets.order_by("-effective_from", "-pk")]


def payer_rule_set_get(*, access: PracticeAccess, payer_pk: int, rule_set_id: int) -> RuleSetEntry:
    payer = payer_get(access=access, payer_pk=payer_pk)
    rule_set = (
        PayerRuleSet.objects.filter(pk=rule_set_id, payer_id=payer.pk).select_related("created_by").first()
    )
    if rule_set is None:
        raise NotFound()
    return _entry(rule_set, payer)


def _entry(rule_set: PayerRuleSet, payer: Payer) -> RuleSetEntry:
    version = _version(rule_set, payer_name=payer.name)
    user = rule_set.created_by
    return RuleSetEntry(
        rule_set_id=rule_set.pk,
        payer_pk=payer.pk,
        payer_name=payer.name,
        effective_from=rule_set.effective_from,
        effective_to=rule_set.effective_to,
        notes=rule_set.notes,
        created_by=(user.get_full_name() or user.get_username()) if user is not None else "",
        policy=with_payer_windows(
            version.policy,
            timely_filing_days=payer.timely_filing_days,
            appeal_window_days=payer.appeal_window_days,
        ),
        document=dict(rule_set.rules),
    )
