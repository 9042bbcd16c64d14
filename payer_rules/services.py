"""Payer rules use cases: add a version of a payer's rules, change one, or revise one in force
from a chosen date (admins).

Each call reads the document (`payer_rules.domain.policy`), checks it against coding's code set and
the credentials (`payer_rules.domain.policy_checks`) and against the payer's other versions (no two
share a day), all under a lock on the payer; anything wrong raises ValidationFailed with field
paths (`prior_auth[0].codes`, `effective_from`, ...) and nothing is written. A new open-ended
version ends the open-ended version before it on the day before it starts. A version whose first
day has come keeps its rules and first day (`payer_rules.domain.versions`): its changes become a
new version from a chosen date (`payer_rule_set_revise`), so past claims keep the rules they used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from coding.domain.code_sets import shipped_catalog
from core.domain.problems import Problem
from core.errors import NotFound, ValidationFailed
from payer_rules import selectors
from payer_rules.domain.policy import (
    PayerPolicy,
    VersionSpan,
    policy_document,
    policy_from_document,
    version_dates_problems,
    version_overlap_problems,
    version_to_close,
)
from payer_rules.domain.policy_checks import policy_problems
from payer_rules.domain.versions import in_place_edit_problems, revision_problems
from payer_rules.models import PayerRuleSet
from payers.lock_objects import payer_lock
from payers.selectors import PayerTerms
from practice.selectors import practice_today
from practice.services.common import model_full_clean, raise_if_problems

NOTES_MAX = 2000


def _locked_payer(*, access: PracticeAccess, payer_pk: int) -> PayerTerms:
    payer = payer_lock(practice_id=access.practice_id, payer_pk=payer_pk)
    if payer is None:
        raise NotFound()
    return payer


def _checked(
    *,
    payer: PayerTerms,
    rules: Mapping[str, Any],
    effective_from: date,
    effective_to: date | None,
    notes: str,
    rule_set_id: int | None,
) -> tuple[PayerPolicy | None, VersionSpan | None, list[Problem]]:
    """The policy, the version to close (if any) and the problems of a candidate version."""
    policy, problems = policy_from_document(
        rules, label=selectors.rule_set_label(payer.name, effective_from), rule_set_id=rule_set_id
    )
    if policy is not None:
        problems += policy_problems(policy, catalog=shipped_catalog(), on=effective_from)
    problems += version_dates_problems(effective_from, effective_to)
    if len(notes) > NOTES_MAX:
        problems.append(Problem("notes_too_long", f"Keep the notes under {NOTES_MAX} characters.", "notes"))
    others = [s for s in selectors.rule_set_spans(payer_pk=payer.payer_pk) if s.rule_set_id != rule_set_id]
    to_close = (
        version_to_close(effective_from, others) if effective_to is None and rule_set_id is None else None
    )
    if to_close is not None:
        others = [
            replace(s, effective_to=effective_from - timedelta(days=1)) if s == to_close else s
            for s in others
        ]
    candidate = VersionSpan(rule_set_id=rule_set_id, effective_from=effective_from, effective_to=effective_to)
    problems += version_overlap_problems(candidate, others)
    return policy, to_close, problems


def _canonical(document: Mapping[str, Any]) -> object:
    """A stored document as the services would store it now (older rows may predate a field)."""
    policy, _ = policy_from_document(document)
    return policy_document(policy) if policy is not None else document


def payer_rule_set_create(
    *,
    access: PracticeAccess,
    payer_pk: int,
    effective_from: date,
    rules: Mapping[str, Any],
    effective_to: date | None = None,
    notes: str = "",
) -> PayerRuleSet:
    """Add a version of the payer's rules. An open-ended new version ends the open-ended one
    before it (the day before `effective_from`)."""
    access.require(Capability.PRACTICE_MANAGE)
    notes = notes.strip()
    with transaction.atomic(durable=True):
        payer = _locked_payer(access=access, payer_pk=payer_pk)
        policy, to_close, problems = _checked(
            payer=payer,
            rules=rules,
            effective_from=effective_from,
            effective_to=effective_to,
            notes=notes,
            rule_set_id=None,
        )
        raise_if_problems(problems)
        if policy is None:  # unreachable: an unreadable document is an error above
            raise ValidationFailed()
        if to_close is not None and to_close.rule_set_id is not None:
            previous = PayerRuleSet.objects.get(pk=to_close.rule_set_id)
            previous.effective_to = effective_from - timedelta(days=1)
            model_full_clean(previous)
            previous.save(update_fields=["effective_to", "updated_at"])
        rule_set = PayerRuleSet(
            payer_id=payer.payer_pk,
            effective_from=effective_from,
            effective_to=effective_to,
            rules=policy_document(policy),
            notes=notes,
            created_by_id=access.user_id,
        )
        model_full_clean(rule_set)
        rule_set.save()
    return rule_set


def payer_rule_set_update(
    *,
    access: PracticeAccess,
    payer_pk: int,
    rule_set_id: int,
    effective_from: date,
    effective_to: date | None,
    rules: Mapping[str, Any],
    notes: str = "",
) -> PayerRuleSet:
    """Replace a version's dates, rules and notes (all of them: the screens send the whole form).

    Once the version's first day has come, only its notes and an end date from today on may
    change here; new rules go through `payer_rule_set_revise`."""
    access.require(Capability.PRACTICE_MANAGE)
    notes = notes.strip()
    with transaction.atomic(durable=True):
        payer = _locked_payer(access=access, payer_pk=payer_pk)
        rule_set = PayerRuleSet.objects.filter(pk=rule_set_id, payer_id=payer.payer_pk).first()
        if rule_set is None:
            raise NotFound()
        policy, _, problems = _checked(
            payer=payer,
            rules=rules,
            effective_from=effective_from,
            effective_to=effective_to,
            notes=notes,
            rule_set_id=rule_set.pk,
        )
        if policy is not None:
            problems += in_place_edit_problems(
                VersionSpan(rule_set.pk, rule_set.effective_from, rule_set.effective_to),
                rules_changed=_canonical(rule_set.rules) != policy_document(policy),
                effective_from=effective_from,
                effective_to=effective_to,
                today=practice_today(practice_id=access.practice_id),
            )
        raise_if_problems(problems)
        if policy is None:
            raise ValidationFailed()
        values = {
            "effective_from": effective_from,
            "effective_to": effective_to,
            "rules": policy_document(policy),
            "notes": notes,
        }
        changed = [name for name, value in values.items() if getattr(rule_set, name) != value]
        for name in changed:
            setattr(rule_set, name, values[name])
        model_full_clean(rule_set)
        if changed:
            rule_set.save(update_fields=[*changed, "updated_at"])
    return rule_set


def payer_rule_set_revise(
    *,
    access: PracticeAccess,
    payer_pk: int,
    rule_set_id: int,
    change_from: date,
    rules: Mapping[str, Any],
    notes: str = "",
) -> PayerRuleSet:
    """Change the rules of a version in force from `change_from` on: a new version from that day
    to the old one's end takes the new rules, and the old one ends the day before, its rules as
    they were (claims before `change_from` keep them)."""
    access.require(Capability.PRACTICE_MANAGE)
    notes = notes.strip()
    with transaction.atomic(durable=True):
        payer = _locked_payer(access=access, payer_pk=payer_pk)
        old = PayerRuleSet.objects.filter(pk=rule_set_id, payer_id=payer.payer_pk).first()
        if old is None:
            raise NotFound()
        span = VersionSpan(old.pk, old.effective_from, old.effective_to)
        problems = revision_problems(
            span, change_from=change_from, today=practice_today(practice_id=access.practice_id)
        )
        raise_if_problems(problems)
        old.effective_to = change_from - timedelta(days=1)
        model_full_clean(old)
        old.save(update_fields=["effective_to", "updated_at"])
        policy, _, problems = _checked(
            payer=payer,
            rules=rules,
            effective_from=change_from,
            effective_to=span.effective_to,
            notes=notes,
            rule_set_id=None,
        )
        raise_if_problems(problems)  # raising here rolls back the old version's new end date too
        if policy is None:
            raise ValidationFailed()
        new = PayerRuleSet(
            payer_id=payer.payer_pk,
            effective_from=change_from,
            effective_to=span.effective_to,
            rules=policy_document(policy),
            notes=notes,
            created_by_id=access.user_id,
        )
        model_full_clean(new)
        new.save()
    return new
