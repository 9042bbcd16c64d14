"""Reads of payer rules, versioned by effective date.

`payer_policy_on` / `payer_coding_rules_on` are THE way the coding (suggest_codes, charges) and
the scrubber learn a payer's rules on a date: the rule set in force, or coding's defaults for
the payer's kind when none is. System reads of configuration (no PHI): no access, no audit.
The screens read through `payer_rule_set_page` / `payer_rule_set_get` (PAYER_VIEW, scoped to
the practice through payers.selectors).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Paginator

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from coding.domain.payer_defaults import payer_kind_coding_rules
from coding.domain.types import PayerCodingRules
from core.errors import ApplicationError, NotFound
from core.formatting import date_label
from payer_rules.domain.policy import (
    PayerPolicy,
    PolicyTimeline,
    RuleSetVersion,
    VersionSpan,
    default_policy,
    policy_from_document,
    with_payer_windows,
)
from payer_rules.models import PayerRuleSet
from payers.selectors import PayerTerms, payer_terms, payer_terms_for_user, payers_terms
from practice.selectors import practice_today

VERSIONS_PER_PAGE = 25


def rule_set_label(payer_name: str, effective_from: date) -> str:
    return f"{payer_name} (rules from {date_label(effective_from)})"


def _version(rule_set: PayerRuleSet, *, payer_name: str) -> RuleSetVersion:
    policy, problems = policy_from_document(
        rule_set.rules, label=rule_set_label(payer_name, rule_set.effective_from), rule_set_id=rule_set.pk
    )
    if policy is None:  # only a direct database edit gets here: the services store checked documents
        raise ApplicationError(
            f"The rules of {payer_name} from {date_label(rule_set.effective_from)} cannot be read: {problems[0].message}",
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


def _timeline(payer: PayerTerms, rule_sets: list[PayerRuleSet]) -> PolicyTimeline:
    return PolicyTimeline(
        versions=tuple(_version(rs, payer_name=payer.name) for rs in rule_sets),
        fallback=default_policy(payer_kind_coding_rules(payer.kind, name=payer.name)),
        timely_filing_days=payer.timely_filing_days,
        appeal_window_days=payer.appeal_window_days,
    )


def _payer(payer_pk: int) -> PayerTerms:
    payer = payer_terms(payer_pk=payer_pk)
    if payer is None:
        raise NotFound()
    return payer


def payer_policy_timeline(*, payer_pk: int) -> PolicyTimeline:
    """All of a payer's rule-set versions (two queries); `.on(day)` gives the policy on a date."""
    payer = _payer(payer_pk)
    return _timeline(payer, list(PayerRuleSet.objects.filter(payer_id=payer_pk).order_by("effective_from")))


def payer_policy_timelines(*, payer_pks: Iterable[int]) -> dict[int, PolicyTimeline]:
    """`payer_policy_timeline` for many payers in two queries (payers not found are absent)."""
    payers = payers_terms(payer_pks=payer_pks)
    rule_sets: dict[int, list[PayerRuleSet]] = {pk: [] for pk in payers}
    for rule_set in PayerRuleSet.objects.filter(payer_id__in=list(payers)).order_by("effective_from", "pk"):
        rule_sets[rule_set.payer_id].append(rule_set)
    return {pk: _timeline(payer, rule_sets[pk]) for pk, payer in payers.items()}


def payer_policy_on(*, payer_pk: int, on: date) -> PayerPolicy:
    """The payer's policy on `on`: the rule set in force (windows defaulted from the payer's
    fields), or the kind defaults when no rule set covers the date. Raises NotFound."""
    payer = _payer(payer_pk)
    in_force = list(
        PayerRuleSet.objects.filter(payer_id=payer_pk, effective_from__lte=on).exclude(effective_to__lt=on)
    )
    return _timeline(payer, in_force).on(on)


def payer_coding_rules_on(*, payer_pk: int, on: date | None = None) -> PayerCodingRules:
    """The coding rules for the payer on `on` (the practice's today when None): what
    `coding.domain.rules.code_session`/`code_day` take. Falls back to the kind defaults."""
    if on is None:
        on = practice_today(practice_id=_payer(payer_pk).practice_id)
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


# ---- the screens -----------------------------------------------------------------------------------


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


@dataclass(frozen=True, slots=True)
class RuleSetPage:
    """One page of a payer's versions, newest first."""

    payer: PayerTerms
    entries: tuple[RuleSetEntry, ...]
    number: int
    num_pages: int
    total: int
    previous_number: int | None
    next_number: int | None


def _entry(rule_set: PayerRuleSet, payer: PayerTerms) -> RuleSetEntry:
    version = _version(rule_set, payer_name=payer.name)
    user = rule_set.created_by
    return RuleSetEntry(
        rule_set_id=rule_set.pk,
        payer_pk=payer.payer_pk,
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


def payer_rule_set_page(
    *, access: PracticeAccess, payer_pk: int, page: int | str = 1, per_page: int = VERSIONS_PER_PAGE
) -> RuleSetPage:
    """One page of the payer's versions, newest first (billers and admins). The payer and the
    practice filter the rows in the database; the page is cut after them (three queries)."""
    payer = payer_terms_for_user(access=access, payer_pk=payer_pk)
    rule_sets = (
        PayerRuleSet.objects.filter(payer_id=payer.payer_pk)
        .select_related("created_by")
        .order_by("-effective_from", "-pk")
    )
    paginator = Paginator(rule_sets, per_page)
    current = paginator.get_page(page)
    return RuleSetPage(
        payer=payer,
        entries=tuple(_entry(rs, payer) for rs in current.object_list),
        number=current.number,
        num_pages=paginator.num_pages,
        total=paginator.count,
        previous_number=current.previous_page_number() if current.has_previous() else None,
        next_number=current.next_page_number() if current.has_next() else None,
    )


def payer_rule_set_get(*, access: PracticeAccess, payer_pk: int, rule_set_id: int) -> RuleSetEntry:
    payer = payer_terms_for_user(access=access, payer_pk=payer_pk)
    rule_set = (
        PayerRuleSet.objects.filter(pk=rule_set_id, payer_id=payer.payer_pk)
        .select_related("created_by")
        .first()
    )
    if rule_set is None:
        raise NotFound()
    return _entry(rule_set, payer)


def payer_rule_set_to_copy(*, access: PracticeAccess, payer_pk: int, today: date) -> RuleSetEntry | None:
    """The version a new one starts from when none is named: the one in force `today`, else the
    newest, else None."""
    payer = payer_terms_for_user(access=access, payer_pk=payer_pk)
    rule_sets = PayerRuleSet.objects.filter(payer_id=payer.payer_pk).select_related("created_by")
    rule_set = (
        rule_sets.filter(effective_from__lte=today)
        .exclude(effective_to__lt=today)
        .order_by("-effective_from")
        .first()
        or rule_sets.order_by("-effective_from", "-pk").first()
    )
    return _entry(rule_set, payer) if rule_set is not None else None


def payers_without_rules_count(*, access: PracticeAccess, payer_ids: list[int]) -> int:
    """How many of `payer_ids` (the practice's active insurance payers) have no rule version at
    all (one query; the home page's "payer rules missing")."""
    access.require(Capability.PAYER_VIEW)
    with_rules = PayerRuleSet.objects.filter(payer_id__in=payer_ids).values_list("payer_id", flat=True)
    return len(set(payer_ids) - set(with_rules))
