"""Payer detail and payer-rules screens: versions, a version's rules, new/edit version, "try it".

Billers and admins read (PAYER_VIEW); only admins add or change versions (PRACTICE_MANAGE). The
"try it" panel runs a sample session through coding's `code_session` with the version's rules
and the payer-side review (`payer_rules.domain.policy.policy_review`): a pure call, nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from accounts.access import PracticeAccess, screen_access
from accounts.domain.roles import Capability
from coding.domain.code_sets import shipped_catalog
from coding.domain.rules import code_session
from coding.domain.scope_of_practice import group_label, scope_table
from coding.domain.types import SessionFacts, Telehealth
from core.domain.problems import Problem, Severity, field_errors
from core.domain.service_types import SERVICE_TYPE_LABELS, ServiceType
from core.errors import ValidationFailed
from core.formatting import date_label
from core.views import app_errors
from payer_rules import selectors, services
from payer_rules.domain.policy import (
    BILLING_FREQUENCY_LABELS,
    RENDERING_BILLING_LABELS,
    PayerPolicy,
    VersionSpan,
    policy_from_document,
    policy_review,
)
from payer_rules.domain.policy_checks import policy_problems
from payer_rules.domain.versions import has_started
from payer_rules.forms import LIST_GROUPS, RuleSetForms, TryItForm, split_list
from payers import selectors as payer_selectors
from payers.selectors import payer_terms_for_user
from practice.selectors import practice_today

_access = screen_access
_app_errors = app_errors

UNIT_RULE_LABELS = {"cpt_midpoint": "CPT midpoint rule", "cms_8_minute": "CMS 8-minute rule"}
TELEHEALTH_POS_LABELS = {
    "telehealth_pos": "POS 10 at home, 02 elsewhere",
    "always_02": "always POS 02",
    "in_person_pos": "the in-person place of service",
}


# ---- view models -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SummaryGroup:
    title: str
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VersionRow:
    rule_set_id: int
    period: str
    state: str
    css: str
    notes: str
    created_by: str
    url: str
    edit_url: str
    copy_url: str


def _period(start: date, end: date | None) -> str:
    return f"{date_label(start)} to {date_label(end)}" if end else f"from {date_label(start)}"


def _state(start: date, end: date | None, today: date) -> tuple[str, str]:
    if start > today:
        return "Upcoming", "warn"
    if end is not None and end < today:
        return "Ended", ""
    return "In force", "ok"


def _modifier(value: str) -> str:
    return value or "none"


def policy_summary(policy: PayerPolicy) -> list[SummaryGroup]:
    """Each rule group in plain words (the detail screen)."""
    coding = policy.coding
    return [
        SummaryGroup(
            "Coding",
            (
                f"Units: {UNIT_RULE_LABELS.get(coding.unit_rule.value, coding.unit_rule.value)}.",
                "Practitioner-level modifiers (HM/HN/HO/HP): "
                + ("yes." if coding.practitioner_modifiers else "no."),
                f"Distinct-service modifier: {coding.distinct_modifier}.",
                "Diagnostic evaluation again within "
                + (
                    f"{coding.evaluation_repeat_days} days: flagged."
                    if coding.evaluation_repeat_days
                    else "any time: not flagged."
                ),
            ),
        ),
        SummaryGroup(
            "Telehealth",
            (
                f"Place of service: {TELEHEALTH_POS_LABELS.get(coding.telehealth_pos.value, coding.telehealth_pos.value)}.",
                f"Audio and video: modifier {_modifier(coding.video_modifier)}.",
                f"Audio only: modifier {_modifier(coding.audio_only_modifier)}"
                + ("." if coding.audio_only_allowed else "; not paid."),
            ),
        ),
        SummaryGroup(
            "Who renders",
            tuple(
                f"{', '.join(r.credentials)} rendering {', '.join(r.codes) if r.codes else 'any code'}: "
                f"{RENDERING_BILLING_LABELS[r.billing].lower()}."
                for r in policy.rendering
            )
            + (f"Anyone else: {RENDERING_BILLING_LABELS[policy.unlisted_rendering].lower()}.",),
        ),
        SummaryGroup(
            "Crosswalk",
            tuple(
                f"{SERVICE_TYPE_LABELS[c.service_type]}"
                + (f" by {', '.join(sorted(c.credentials))}" if c.credentials else "")
                + f" is billed as {c.code}."
                for c in coding.crosswalk
            )
            or ("None: the default codes.",),
        ),
        SummaryGroup(
            "Scope of practice (national defaults)",
            (
                *scope_summary(),
                'The rules under "Who renders" narrow this (may not render) or widen it (a rule that '
                "names the code).",
            ),
        ),
        SummaryGroup(
            "Code substitutions",
            tuple(
                f"{s.from_code} by {', '.join(sorted(s.credentials))} is billed as {s.to_code}."
                for s in coding.code_substitutions
            )
            or ("None.",),
        ),
        SummaryGroup(
            "Prior authorization",
            tuple(
                f"{', '.join(a.codes)}: "
                + (
                    "always."
                    if a.after_visits_per_year is None
                    else f"after {a.after_visits_per_year} visits a calendar year."
                )
                for a in policy.prior_auth
            )
            or ("None.",),
        ),
        SummaryGroup(
            "Limits",
            tuple(f"{code}: at most {units} units a day." for code, units in coding.max_units_per_day.items())
            + tuple(
                f"{v.name} ({', '.join(v.codes)}): {v.visits_per_year} visits a calendar year."
                for v in policy.visit_limits
            )
            or ("None.",),
        ),
        SummaryGroup(
            "Diagnosis and age",
            tuple(
                f"{d.prefix}: ages {d.min_age if d.min_age is not None else 0} to "
                f"{d.max_age if d.max_age is not None else 'any'} ({d.severity.value})."
                for d in policy.diagnosis_age
            )
            or ("None.",),
        ),
        SummaryGroup(
            "Billing",
            (
                f"{BILLING_FREQUENCY_LABELS[policy.billing_frequency]}.",
                "Co-signature before billing: "
                + ("required." if policy.cosign_required else "not required."),
                f"Timely filing: {policy.timely_filing_days} days.",
                f"Appeal window: {policy.appeal_window_days} days.",
            ),
        ),
    ]


def scope_summary() -> tuple[str, ...]:
    """The national scope-of-practice table in plain words (one line per code family)."""
    table = scope_table()
    return tuple(
        f"{family.label[:1].upper()}{family.label[1:]} ({', '.join(sorted(family.codes))}): "
        + ", ".join(group_label(w) for w in family.who)
        + "."
        for family in table.families
    )


@dataclass(frozen=True, slots=True)
class TryLine:
    code: str
    units: int
    modifiers: str
    pos: str
    minutes: int


@dataclass(frozen=True, slots=True)
class TryProblem:
    severity: str
    css: str
    code: str
    message: str
    fix_hint: str = ""


@dataclass(frozen=True, slots=True)
class TryResult:
    lines: tuple[TryLine, ...]
    problems: tuple[TryProblem, ...]
    why: tuple[str, ...]
    rendering: tuple[str, ...]


def _problem_row(problem: Problem) -> TryProblem:
    severity = str(problem.severity)
    return TryProblem(
        severity=severity,
        css="bad" if severity == "error" else "warn",
        code=str(problem.code),
        message=problem.message,
        fix_hint=problem.fix_hint,
    )


def try_session(policy: PayerPolicy, data: dict, *, version_in_force: bool) -> TryResult:  # type: ignore[type-arg]
    """Code the sample session with this version's rules (pure; nothing is written)."""
    credential = data.get("credential") or ""
    diagnoses = tuple(code.upper() for code in split_list(data.get("diagnoses") or ""))
    facts = SessionFacts(
        service_type=ServiceType(data["service_type"]),
        date_of_service=data["date_of_service"],
        segment_minutes=(data["minutes"],),
        telehealth=Telehealth(data.get("telehealth") or ""),
        with_em=bool(data.get("with_em") or data.get("em_code")),
        em_code=(data.get("em_code") or "").strip().upper(),
        rendering_credential=credential,
        place_of_service=data["place_of_service"].strip(),
        patient_at_home=bool(data.get("patient_at_home")),
        diagnoses=diagnoses,
        instruments=tuple(code.upper() for code in split_list(data.get("instruments") or "")),
    )
    result = code_session(facts, policy.coding, catalog=shipped_catalog())
    review = policy_review(
        policy,
        codes=[line.code for line in result.lines],
        credential=credential,
        diagnoses=diagnoses,
        patient_age=data.get("patient_age"),
        visits_before=data.get("visits_before") or 0,
        report_rendering=False,  # code_session asked the same who-may-render rule
    )
    problems = [*result.problems, *review.problems]
    if not version_in_force:
        problems.insert(
            0,
            Problem(
                code="rule_set_not_in_force",
                message=f"This version is not in force on {date_label(facts.date_of_service)}; the result shows its rules anyway.",
                severity=Severity.WARNING,
            ),
        )
    return TryResult(
        lines=tuple(
            TryLine(
                code=line.code,
                units=line.units,
                modifiers=" ".join(line.modifiers) or "—",
                pos=line.pos,
                minutes=line.minutes,
            )
            for line in result.lines
        ),
        problems=tuple(_problem_row(p) for p in problems),
        why=(*result.why, *review.why),
        rendering=tuple(f"{d.code}: {RENDERING_BILLING_LABELS[d.billing]}" for d in review.rendering),
    )


# ---- screens ---------------------------------------------------------------------------------------


def _version_row(entry: selectors.RuleSetEntry, today: date) -> VersionRow:
    state, css = _state(entry.effective_from, entry.effective_to, today)
    return VersionRow(
        rule_set_id=entry.rule_set_id,
        period=_period(entry.effective_from, entry.effective_to),
        state=state,
        css=css,
        notes=entry.notes,
        created_by=entry.created_by,
        url=reverse("payers:rule_set_detail", args=[entry.payer_pk, entry.rule_set_id]),
        edit_url=reverse("payers:rule_set_edit", args=[entry.payer_pk, entry.rule_set_id]),
        copy_url=reverse("payers:rule_set_create", args=[entry.payer_pk]) + f"?from={entry.rule_set_id}",
    )


def _page_url(number: int | None) -> str:
    return f"?{urlencode({'page': number})}" if number is not None else ""


@login_required
@_app_errors
def payer_detail(request: HttpRequest, payer_pk: int) -> HttpResponse:
    access = _access(request, Capability.PAYER_VIEW)
    page = selectors.payer_rule_set_page(access=access, payer_pk=payer_pk, page=request.GET.get("page", 1))
    today = practice_today(practice_id=access.practice_id)
    payer = page.payer
    era = payer_selectors.payer_era_for_user(access=access, payer_pk=payer.payer_pk)
    context = {
        "payer": {
            "name": payer.name,
            "kind": payer.kind_label,
            "payer_id": payer.payer_id or "—",
            "timely_filing": f"{payer.timely_filing_days} days",
            "appeal_window": f"{payer.appeal_window_days} days",
            "era_enrollment": era.enrollment_label,
            "era_enrolled_on": date_label(era.enrolled_on, weekday=False) or "—",
            "last_era": date_label(era.last_era_on, weekday=False) or "none received",
        },
        "versions": [_version_row(entry, today) for entry in page.entries],
        "pagination": {
            "page": page.number,
            "pages": page.num_pages,
            "total": page.total,
            "previous_url": _page_url(page.previous_number),
            "next_url": _page_url(page.next_number),
        },
        "can_manage": access.can(Capability.PRACTICE_MANAGE),
        "new_url": reverse("payers:rule_set_create", args=[payer.payer_pk]),
        "edit_payer_url": reverse("payers:edit", args=[payer.payer_pk]),
    }
    return render(request, "payer_rules/payer_detail.html", context)


@login_required
@_app_errors
def rule_set_detail(request: HttpRequest, payer_pk: int, rule_set_id: int) -> HttpResponse:
    access = _access(request, Capability.PAYER_VIEW)
    entry = selectors.payer_rule_set_get(access=access, payer_pk=payer_pk, rule_set_id=rule_set_id)
    today = practice_today(practice_id=access.practice_id)
    in_force_today = entry.effective_from <= today and (
        entry.effective_to is None or today <= entry.effective_to
    )
    default_day = today if in_force_today else entry.effective_from
    bound = "try-service_type" in request.GET
    form = TryItForm(
        request.GET if bound else None,
        prefix="try",
        initial={
            "service_type": ServiceType.INDIVIDUAL_PSYCHOTHERAPY.value,
            "minutes": 53,
            "place_of_service": "11",
            "date_of_service": default_day,
            "visits_before": 0,
        },
    )
    result = None
    if bound and form.is_valid():
        day = form.cleaned_data["date_of_service"]
        in_force = entry.effective_from <= day and (entry.effective_to is None or day <= entry.effective_to)
        result = try_session(entry.policy, form.cleaned_data, version_in_force=in_force)
    state, css = _state(entry.effective_from, entry.effective_to, today)
    context = {
        "payer_name": entry.payer_name,
        "payer_url": reverse("payers:detail", args=[payer_pk]),
        "period": _period(entry.effective_from, entry.effective_to),
        "state": state,
        "css": css,
        "notes": entry.notes,
        "groups": policy_summary(entry.policy),
        "form": form,
        "result": result,
        "can_manage": access.can(Capability.PRACTICE_MANAGE),
        "edit_url": reverse("payers:rule_set_edit", args=[payer_pk, rule_set_id]),
        "copy_url": reverse("payers:rule_set_create", args=[payer_pk]) + f"?from={rule_set_id}",
    }
    return render(request, "payer_rules/rule_set_detail.html", context, status=400 if form.errors else 200)


def _try_form(request: HttpRequest, *, today: date) -> TryItForm:
    """The "try it" fields of the rule-set form: bound when the admin pressed "Try it"."""
    return TryItForm(
        request.POST if _trying(request) else None,
        prefix="try",
        initial={
            "service_type": ServiceType.INDIVIDUAL_PSYCHOTHERAPY.value,
            "minutes": 53,
            "place_of_service": "11",
            "date_of_service": today,
            "visits_before": 0,
        },
    )


def _trying(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get("action") == "try"


def _try_draft(forms: RuleSetForms, try_form: TryItForm, *, label: str) -> TryResult | None:
    """Run the sample session through the unsaved rules on the form (nothing is written); the
    draft's own problems go on the form's fields as a save would put them."""
    if not (forms.is_valid() and try_form.is_valid()):
        return None
    start, end, _ = forms.dates()
    policy, problems = policy_from_document(forms.document(), label=label)
    if policy is not None:
        problems += policy_problems(policy, catalog=shipped_catalog(), on=start)
    forms.add_errors(field_errors(problems))
    if policy is None:
        return None
    day = try_form.cleaned_data["date_of_service"]
    in_force = start <= day and (end is None or day <= end)
    return try_session(policy, try_form.cleaned_data, version_in_force=in_force)


def _render_form(
    request: HttpRequest,
    forms: RuleSetForms,
    *,
    title: str,
    cancel_url: str,
    try_form: TryItForm,
    result: TryResult | None = None,
    in_force_since: str = "",
) -> HttpResponse:
    context = {
        "title": title,
        "forms": forms,
        "groups": [(key, forms.titles[key], forms.formsets[key]) for key, _, _ in LIST_GROUPS],
        "cancel_url": cancel_url,
        "try_form": try_form,
        "result": result,
        "in_force_since": in_force_since,
    }
    failed = forms.has_errors or bool(try_form.errors)
    return render(request, "payer_rules/rule_set_form.html", context, status=400 if failed else 200)


@login_required
@_app_errors
def rule_set_create(request: HttpRequest, payer_pk: int) -> HttpResponse:
    access = _access(request, Capability.PRACTICE_MANAGE)
    payer = payer_terms_for_user(access=access, payer_pk=payer_pk)
    cancel_url = reverse("payers:detail", args=[payer.payer_pk])
    title = f"New rules for {payer.name}"
    try_form = _try_form(request, today=practice_today(practice_id=access.practice_id))
    if _trying(request):
        forms = RuleSetForms(request.POST)
        result = _try_draft(forms, try_form, label=f"{payer.name} (draft)")
        return _render_form(
            request, forms, title=title, cancel_url=cancel_url, try_form=try_form, result=result
        )
    if request.method == "POST":
        forms = RuleSetForms(request.POST)
        if forms.is_valid():
            effective_from, effective_to, notes = forms.dates()
            try:
                rule_set = services.payer_rule_set_create(
                    access=access,
                    payer_pk=payer.payer_pk,
                    effective_from=effective_from,
                    effective_to=effective_to,
                    rules=forms.document(),
                    notes=notes,
                )
            except ValidationFailed as error:
                forms.add_errors(error.field_errors)
            else:
                messages.success(request, "Rules saved.")
                return redirect("payers:rule_set_detail", payer_pk=payer.payer_pk, rule_set_id=rule_set.pk)
        return _render_form(request, forms, title=title, cancel_url=cancel_url, try_form=try_form)
    base = _base_entry(access=access, payer_pk=payer.payer_pk, wanted=request.GET.get("from", ""))
    forms = RuleSetForms(document=base.document if base else {}, notes="")
    return _render_form(request, forms, title=title, cancel_url=cancel_url, try_form=try_form)


def _base_entry(*, access: PracticeAccess, payer_pk: int, wanted: str) -> selectors.RuleSetEntry | None:
    """The version a new one starts from: ?from=<id>, else the one in force today, else the newest."""
    if wanted.isdigit():
        return selectors.payer_rule_set_get(access=access, payer_pk=payer_pk, rule_set_id=int(wanted))
    today = practice_today(practice_id=access.practice_id)
    return selectors.payer_rule_set_to_copy(access=access, payer_pk=payer_pk, today=today)


@login_required
@_app_errors
def rule_set_edit(request: HttpRequest, payer_pk: int, rule_set_id: int) -> HttpResponse:
    """Edit a version. One that has not started is changed in place; one whose first day has come
    keeps its rules for the dates it already covered: the changes become a new version from the
    day the admin chooses (`services.payer_rule_set_revise`)."""
    access = _access(request, Capability.PRACTICE_MANAGE)
    entry = selectors.payer_rule_set_get(access=access, payer_pk=payer_pk, rule_set_id=rule_set_id)
    cancel_url = reverse("payers:rule_set_detail", args=[payer_pk, rule_set_id])
    today = practice_today(practice_id=access.practice_id)
    revise = has_started(VersionSpan(rule_set_id, entry.effective_from, entry.effective_to), today=today)
    period = _period(entry.effective_from, entry.effective_to)
    title = (
        f"Change the rules of {entry.payer_name} {period}"
        if revise
        else f"Edit the rules of {entry.payer_name} {period}"
    )
    since = date_label(entry.effective_from) if revise else ""
    try_form = _try_form(request, today=today)
    if _trying(request):
        forms = RuleSetForms(request.POST, revise=revise)
        result = _try_draft(forms, try_form, label=f"{entry.payer_name} (draft)")
        return _render_form(
            request,
            forms,
            title=title,
            cancel_url=cancel_url,
            try_form=try_form,
            result=result,
            in_force_since=since,
        )
    if request.method == "POST":
        forms = RuleSetForms(request.POST, revise=revise)
        if forms.is_valid():
            effective_from, effective_to, notes = forms.dates()
            try:
                if revise:
                    saved = services.payer_rule_set_revise(
                        access=access,
                        payer_pk=payer_pk,
                        rule_set_id=rule_set_id,
                        change_from=effective_from,
                        rules=forms.document(),
                        notes=notes,
                    )
                else:
                    saved = services.payer_rule_set_update(
                        access=access,
                        payer_pk=payer_pk,
                        rule_set_id=rule_set_id,
                        effective_from=effective_from,
                        effective_to=effective_to,
                        rules=forms.document(),
                        notes=notes,
                    )
            except ValidationFailed as error:
                forms.add_errors(error.field_errors)
            else:
                if revise:
                    messages.success(
                        request,
                        f"Saved as a new version from {date_label(effective_from)}; dates of service before "
                        "it keep the earlier rules.",
                    )
                else:
                    messages.success(request, "Rules saved.")
                return redirect("payers:rule_set_detail", payer_pk=payer_pk, rule_set_id=saved.pk)
        return _render_form(
            request, forms, title=title, cancel_url=cancel_url, try_form=try_form, in_force_since=since
        )
    if revise:
        change_from = max(today, entry.effective_from + timedelta(days=1))
        forms = RuleSetForms(
            document=entry.document, effective_from=change_from, notes=entry.notes, revise=True
        )
    else:
        forms = RuleSetForms(
            document=entry.document,
            effective_from=entry.effective_from,
            effective_to=entry.effective_to,
            notes=entry.notes,
        )
    return _render_form(
        request, forms, title=title, cancel_url=cancel_url, try_form=try_form, in_force_since=since
    )
