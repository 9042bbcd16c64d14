"""Patient screens: thin views over selectors and services, ready-made values for templates.

Each page that shows PHI calls exactly one selector, so it leaves exactly one audit event.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.formatting import date_label
from core.pagination import page_window, pager
from core.views import add_errors_to_form
from patients import selectors, services
from patients.domain.care_team import CareTeamState, care_team_state
from patients.domain.consents import consent_state, part2_consent_problems
from patients.domain.coverage import coverage_status
from patients.domain.diagnoses import format_icd10
from patients.domain.types import (
    CONSENT_KIND_CHOICES,
    GUARANTOR_RELATIONSHIP_CHOICES,
    PRIORITIES,
    SEX_CHOICES,
    SUBSCRIBER_RELATIONSHIP_CHOICES,
    ConsentInput,
    CoverageInput,
    DiagnosisInput,
    GuarantorInput,
    PatientInput,
)
from patients.forms import (
    CareTeamForm,
    ConsentForm,
    CoverageForm,
    DateActionForm,
    DiagnosisForm,
    GuarantorForm,
    PatientEditForm,
    PatientForm,
    PatientSearchForm,
)

STATUS_BADGE = {
    "active": "ok",
    "future": "warn",
    "pending": "warn",
    "terminated": "bad",
    "expired": "bad",
    "revoked": "bad",
    "resolved": "",
    "current": "ok",
    "ended": "",
}

# ---------------------------------------------------------------------------------------------
# Plumbing


def _screen(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, member of a practice; our errors become Django's 404/403 pages."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        access = getattr(request, "practice_access", None)
        if access is None:
            raise DjangoPermissionDenied("You are not a member of a practice.")
        try:
            return view(request, access, *args, **kwargs)
        except NotFound:
            raise Http404("Not found.") from None
        except PermissionDenied:
            raise DjangoPermissionDenied("You do not have permission to do this.") from None

    return wrapper


def _date(value: dt.date | None) -> str:
    return date_label(value, weekday=False)


def _label(choices: tuple[tuple[Any, str], ...], value: Any) -> str:
    return dict(choices).get(value, str(value))


def _route_errors(error: ValidationFailed, forms_by_prefix: dict[str, forms.Form]) -> None:
    """Field paths like `coverage.member_id` go to the coverage form's member_id field."""
    buckets: dict[str, dict[str, list[str]]] = {prefix: {} for prefix in forms_by_prefix}
    for path, messages_ in error.field_errors.items():
        prefix, _, name = path.partition(".")
        if name and prefix in forms_by_prefix:
            buckets[prefix].setdefault(name, []).extend(messages_)
        else:
            buckets[""].setdefault(path, []).extend(messages_)
    for prefix, errors in buckets.items():
        if errors:
            add_errors_to_form(forms_by_prefix[prefix], ValidationFailed(error.message, field_errors=errors))
    if not error.field_errors:
        add_errors_to_form(forms_by_prefix[""], error)


def _text(data: dict[str, Any], name: str) -> str:
    return str(data.get(name) or "")


def _patient_input(data: dict[str, Any]) -> PatientInput:
    return PatientInput(
        first_name=_text(data, "first_name"),
        middle_name=_text(data, "middle_name"),
        last_name=_text(data, "last_name"),
        preferred_name=_text(data, "preferred_name"),
        date_of_birth=data.get("date_of_birth"),
        sex=_text(data, "sex"),
        address_line1=_text(data, "address_line1"),
        address_line2=_text(data, "address_line2"),
        city=_text(data, "city"),
        state=_text(data, "state"),
        postal_code=_text(data, "postal_code"),
        phone=_text(data, "phone"),
        email=_text(data, "email"),
        account_number=_text(data, "account_number"),
        is_substance_use_program=bool(data.get("is_substance_use_program")),
        is_active=bool(data.get("is_active", True)),
    )


def _guarantor_input(data: dict[str, Any]) -> GuarantorInput:
    return GuarantorInput(
        relationship=_text(data, "relationship") or "self",
        first_name=_text(data, "first_name"),
        last_name=_text(data, "last_name"),
        date_of_birth=data.get("date_of_birth"),
        address_line1=_text(data, "address_line1"),
        address_line2=_text(data, "address_line2"),
        city=_text(data, "city"),
        state=_text(data, "state"),
        postal_code=_text(data, "postal_code"),
        phone=_text(data, "phone"),
        email=_text(data, "email"),
    )


def _coverage_input(data: dict[str, Any]) -> CoverageInput:
    return CoverageInput(
        payer_id=data.get("payer"),
        member_id=_text(data, "member_id"),
        priority=int(data.get("priority") or 1),
        effective_on=data.get("effective_on"),
        terminates_on=data.get("terminates_on"),
        group_number=_text(data, "group_number"),
        plan_name=_text(data, "plan_name"),
        subscriber_relationship=_text(data, "subscriber_relationship") or "18",
        subscriber_first_name=_text(data, "subscriber_first_name"),
        subscriber_last_name=_text(data, "subscriber_last_name"),
        subscriber_date_of_birth=data.get("subscriber_date_of_birth"),
        subscriber_sex=_text(data, "subscriber_sex"),
    )


# ---------------------------------------------------------------------------------------------
# View models


@dataclass(frozen=True)
class PatientRow:
    url: str
    name: str
    date_of_birth: str
    account_number: str
    is_active: bool
    primary_payer: str = ""
    primary_member_id: str = ""


@dataclass(frozen=True)
class CoverageRow:
    id: int
    priority: str
    payer: str
    member_id: str
    group_number: str
    plan_name: str
    subscriber: str
    effective_on: str
    terminates_on: str
    status: str
    badge: str
    terminate_url: str
    can_terminate: bool


@dataclass(frozen=True)
class DiagnosisRow:
    id: int
    code: str
    description: str
    rank: int
    onset_on: str
    resolved_on: str
    status: str
    badge: str
    resolve_url: str
    can_resolve: bool


@dataclass(frozen=True)
class ConsentRow:
    id: int
    kind: str
    signed_on: str
    expires_on: str
    revoked_on: str
    recipient: str
    purpose: str
    status: str
    badge: str
    revoke_url: str
    can_revoke: bool


@dataclass(frozen=True)
class CareTeamRow:
    id: int
    provider: str
    starts_on: str
    ends_on: str
    status: str
    badge: str
    remove_url: str
    can_remove: bool


@dataclass(frozen=True)
class PatientHeader:
    id: int
    name: str
    account_number: str
    date_of_birth: str
    url: str


@dataclass
class PatientDetail:
    header: PatientHeader
    demographics: list[tuple[str, str]]
    is_active: bool
    is_substance_use_program: bool
    warnings: list[str] = field(default_factory=list)
    guarantor: list[tuple[str, str]] | None = None
    coverages: list[CoverageRow] | None = None
    diagnoses: list[DiagnosisRow] | None = None
    consents: list[ConsentRow] | None = None
    care_team: list[CareTeamRow] | None = None


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _header(patient: Any) -> PatientHeader:
    return PatientHeader(
        id=patient.pk,
        name=f"{patient.last_name}, {patient.first_name}",
        account_number=patient.account_number,
        date_of_birth=_date(patient.date_of_birth),
        url=reverse("patients:detail", args=[patient.pk]),
    )


def _address(row: Any) -> str:
    lines = [row.address_line1, row.address_line2, f"{row.city}, {row.state} {row.postal_code}"]
    return "\n".join(line for line in lines if line.strip())


def _detail(record: selectors.PatientRecord, access: PracticeAccess) -> PatientDetail:
    patient, today = record.patient, record.today
    pid = patient.pk
    names = [patient.first_name, patient.middle_name, patient.last_name]
    demographics = [
        ("Name", " ".join(n for n in names if n)),
        ("Preferred name", patient.preferred_name),
        ("Date of birth", f"{_date(patient.date_of_birth)} (age {_age(patient.date_of_birth, today)})"),
        ("Sex", _label(SEX_CHOICES, patient.sex)),
        ("Account number", patient.account_number),
        ("Address", _address(patient)),
        ("Phone", patient.phone),
        ("Email", patient.email),
    ]
    detail = PatientDetail(
        header=_header(patient),
        demographics=demographics,
        is_active=patient.is_active,
        is_substance_use_program=patient.is_substance_use_program,
    )
    if record.shows(selectors.Section.GUARANTOR):
        guarantor = record.guarantor
        if guarantor is None:
            detail.guarantor = []
        else:
            detail.guarantor = [
                ("Relationship", _label(GUARANTOR_RELATIONSHIP_CHOICES, guarantor.relationship)),
                ("Name", f"{guarantor.first_name} {guarantor.last_name}"),
                ("Date of birth", _date(guarantor.date_of_birth)),
                ("Address", _address(guarantor)),
                ("Phone", guarantor.phone),
            ]
    can_edit_coverage = access.can(Capability.COVERAGE_EDIT)
    if record.coverages is not None:
        rows = []
        for c in record.coverages:
            state = coverage_status(effective_on=c.effective_on, terminates_on=c.terminates_on, today=today)
            subscriber = "Patient (self)"
            if c.subscriber_relationship != "18":
                subscriber = (
                    f"{c.subscriber_first_name} {c.subscriber_last_name} "
                    f"({_label(SUBSCRIBER_RELATIONSHIP_CHOICES, c.subscriber_relationship)})"
                )
            rows.append(
                CoverageRow(
                    id=c.pk,
                    priority=PRIORITIES.get(c.priority, str(c.priority)),
                    payer=c.payer.name,
                    member_id=c.member_id,
                    group_number=c.group_number,
                    plan_name=c.plan_name,
                    subscriber=subscriber,
                    effective_on=_date(c.effective_on),
                    terminates_on=_date(c.terminates_on),
                    status=str(state),
                    badge=STATUS_BADGE[str(state)],
                    terminate_url=reverse("patients:coverage_terminate", args=[pid, c.pk]),
                    can_terminate=can_edit_coverage and c.terminates_on is None,
                )
            )
        detail.coverages = rows
    can_edit_diagnosis = access.can(Capability.DIAGNOSIS_EDIT)
    if record.diagnoses is not None:
        detail.diagnoses = [
            DiagnosisRow(
                id=d.pk,
                code=format_icd10(d.code),
                description=d.description,
                rank=d.rank,
                onset_on=_date(d.onset_on),
                resolved_on=_date(d.resolved_on),
                status="active" if d.resolved_on is None else "resolved",
                badge="ok" if d.resolved_on is None else "",
                resolve_url=reverse("patients:diagnosis_resolve", args=[pid, d.pk]),
                can_resolve=can_edit_diagnosis and d.resolved_on is None,
            )
            for d in record.diagnoses
        ]
    can_edit_consent = access.can(Capability.CONSENT_EDIT)
    if record.consents is not None:
        facts = selectors.consent_facts(record.consents)
        rows_c = []
        for consent, fact in zip(record.consents, facts, strict=True):
            state_c = consent_state(fact, on=today)
            rows_c.append(
                ConsentRow(
                    id=consent.pk,
                    kind=_label(CONSENT_KIND_CHOICES, consent.kind),
                    signed_on=_date(consent.signed_on),
                    expires_on=_date(consent.expires_on),
                    revoked_on=_date(consent.revoked_on),
                    recipient=consent.recipient,
                    purpose=consent.purpose,
                    status=state_c,
                    badge=STATUS_BADGE[state_c],
                    revoke_url=reverse("patients:consent_revoke", args=[pid, consent.pk]),
                    can_revoke=can_edit_consent and consent.revoked_on is None,
                )
            )
        detail.consents = rows_c
        detail.warnings += [
            p.message
            for p in part2_consent_problems(
                is_substance_use_program=patient.is_substance_use_program, consents=facts, on=today
            )
        ]
    if record.care_team is not None:
        can_edit = access.can(Capability.PATIENT_EDIT)
        rows_t = []
        for m in record.care_team:
            state_t = care_team_state(starts_on=m.starts_on, ends_on=m.ends_on, on=today)
            rows_t.append(
                CareTeamRow(
                    id=m.pk,
                    provider=str(m.provider),
                    starts_on=_date(m.starts_on),
                    ends_on=_date(m.ends_on),
                    status=state_t,
                    badge=STATUS_BADGE[state_t],
                    remove_url=reverse("patients:care_team_remove", args=[pid, m.pk]),
                    can_remove=can_edit and state_t is not CareTeamState.ENDED,
                )
            )
        detail.care_team = rows_t
    return detail


# ---------------------------------------------------------------------------------------------
# Screens


# Patient searches never put names, birth dates or member IDs in the URL (access logs, browser
# history, Referer): the form is POSTed, the criteria are kept in the server-side session under a
# random token, and the results page is /patients/?s=<token> (docs/decisions/0024).
SEARCHES_SESSION_KEY = "parity_patient_searches"
SEARCH_LIFETIME_SECONDS = 15 * 60
SEARCHES_KEPT = 10


def _search_save(request: HttpRequest, criteria: dict[str, str]) -> str:
    token = secrets.token_urlsafe(12)
    now = int(time.time())
    searches = {
        key: value
        for key, value in request.session.get(SEARCHES_SESSION_KEY, {}).items()
        if value["expires"] > now
    }
    searches[token] = {"criteria": criteria, "expires": now + SEARCH_LIFETIME_SECONDS}
    newest = sorted(searches.items(), key=lambda item: item[1]["expires"])[-SEARCHES_KEPT:]
    request.session[SEARCHES_SESSION_KEY] = dict(newest)
    return token


def _search_load(request: HttpRequest, token: str) -> dict[str, str] | None:
    found = request.session.get(SEARCHES_SESSION_KEY, {}).get(token)
    if found is None or found["expires"] <= int(time.time()):
        return None
    return dict(found["criteria"])


@_screen
def patient_list(request: HttpRequest, access: PracticeAccess) -> HttpResponse:
    can_view_coverage = access.can(Capability.COVERAGE_VIEW)
    token = request.GET.get("s", "")
    if request.method == "POST":
        form = PatientSearchForm(request.POST)
    else:
        saved = _search_load(request, token) if token else None
        if token and saved is None:
            messages.info(request, "That search has expired. Search again.")
            return redirect("patients:list")
        form = PatientSearchForm(saved) if saved else PatientSearchForm()
    if not can_view_coverage:
        del form.fields["member_id"]
    criteria = form.cleaned_data if form.is_valid() else {}
    if request.method == "POST" and form.is_valid():
        wanted = {k: v for k, v in criteria.items() if k in ("q", "dob", "member_id") and v}
        if not wanted:
            return redirect("patients:list")
        return redirect(reverse("patients:list") + "?" + urlencode({"s": _search_save(request, wanted)}))
    window = page_window(request.GET, size=selectors.LIST_PAGE_SIZE)
    page = None
    if not form.errors:
        try:
            page = selectors.patient_list_for_user(
                access=access,
                query=criteria.get("q", ""),
                dob=criteria.get("dob", ""),
                member_id=criteria.get("member_id", ""),
                offset=window.offset,
                limit=window.size,
            )
        except ValidationFailed as error:
            add_errors_to_form(form, error)
    rows: list[PatientRow] = []
    links = None
    if page is not None:
        for patient in page.patients:
            primary = patient.current_primary[0] if page.shows_coverage and patient.current_primary else None  # type: ignore[attr-defined]
            rows.append(
                PatientRow(
                    url=reverse("patients:detail", args=[patient.pk]),
                    name=f"{patient.last_name}, {patient.first_name}",
                    date_of_birth=_date(patient.date_of_birth),
                    account_number=patient.account_number,
                    is_active=patient.is_active,
                    primary_payer=primary.payer.name if primary else "",
                    primary_member_id=primary.member_id if primary else "",
                )
            )
        links = pager(params=request.GET, window=window, total=page.total, shown=len(rows))
    return render(
        request,
        "patients/list.html",
        {
            "form": form,
            "rows": rows,
            "pager": links,
            "shows_coverage": page.shows_coverage if page else can_view_coverage,
            "searched": bool({k: v for k, v in criteria.items() if k != "page" and v}),
            "can_create": access.can(Capability.PATIENT_EDIT),
        },
        status=400 if form.errors else 200,
    )


@_screen
def patient_detail(request: HttpRequest, access: PracticeAccess, patient_id: int) -> HttpResponse:
    record = selectors.patient_record_get_for_user(access=access, patient_id=patient_id)
    detail = _detail(record, access)
    provider_choices = (
        selectors.provider_choices_for_practice(practice_id=access.practice_id)
        if access.can(Capability.PATIENT_EDIT)
        else []
    )
    return render(
        request,
        "patients/detail.html",
        {
            "patient": detail,
            "can_edit": access.can(Capability.PATIENT_EDIT),
            "can_add_coverage": access.can(Capability.COVERAGE_EDIT),
            "can_add_diagnosis": access.can(Capability.DIAGNOSIS_EDIT),
            "can_add_consent": access.can(Capability.CONSENT_EDIT),
            "can_see_billing": access.can(Capability.BILLING_VIEW),
            "care_team_form": CareTeamForm(provider_choices=provider_choices) if provider_choices else None,
            "today_iso": record.today.isoformat(),
        },
    )


def _payer_choices(access: PracticeAccess) -> list[tuple[int, str]]:
    return selectors.payer_choices_for_practice(practice_id=access.practice_id)


@_screen
def patient_create(request: HttpRequest, access: PracticeAccess) -> HttpResponse:
    access.require(Capability.PATIENT_EDIT)
    can_add_coverage = access.can(Capability.COVERAGE_EDIT)
    data = request.POST if request.method == "POST" else None
    patient_form = PatientForm(data)
    guarantor_form = GuarantorForm(data, prefix="guarantor")
    coverage_form = (
        CoverageForm(
            data,
            prefix="coverage",
            payer_choices=_payer_choices(access),
            blank_label="No coverage (self-pay)",
        )
        if can_add_coverage
        else None
    )
    all_forms: dict[str, forms.Form] = {"": patient_form, "guarantor": guarantor_form}
    if coverage_form is not None:
        all_forms["coverage"] = coverage_form
    if request.method == "POST" and all(f.is_valid() for f in all_forms.values()):
        coverage = None
        if coverage_form is not None and not coverage_form.is_blank():
            coverage = _coverage_input(coverage_form.cleaned_data)
        try:
            patient = services.patient_create(
                access=access,
                patient=_patient_input(patient_form.cleaned_data),
                guarantor=_guarantor_input(guarantor_form.cleaned_data),
                coverage=coverage,
            )
        except ValidationFailed as error:
            _route_errors(error, all_forms)
        else:
            messages.success(request, f"Patient created with account number {patient.account_number}.")
            return redirect("patients:detail", patient_id=patient.pk)
    has_errors = any(f.errors for f in all_forms.values())
    return render(
        request,
        "patients/create.html",
        {"form": patient_form, "guarantor_form": guarantor_form, "coverage_form": coverage_form},
        status=400 if has_errors else 200,
    )


@_screen
def patient_edit(request: HttpRequest, access: PracticeAccess, patient_id: int) -> HttpResponse:
    access.require(Capability.PATIENT_EDIT)
    if request.method == "POST":
        patient_form = PatientEditForm(request.POST)
        guarantor_form = GuarantorForm(request.POST, prefix="guarantor")
        all_forms: dict[str, forms.Form] = {"": patient_form, "guarantor": guarantor_form}
        if patient_form.is_valid() and guarantor_form.is_valid():
            values = _patient_input(patient_form.cleaned_data)
            changes = {name: getattr(values, name) for name in services.PATIENT_EDITABLE_FIELDS}
            try:
                services.patient_update(
                    access=access,
                    patient_id=patient_id,
                    changes=changes,
                    guarantor=_guarantor_input(guarantor_form.cleaned_data),
                )
            except ValidationFailed as error:
                _route_errors(error, all_forms)
            else:
                messages.success(request, "Patient updated.")
                return redirect("patients:detail", patient_id=patient_id)
        header = None  # the page shows only what was posted: no record read, no audit event
    else:
        patient = selectors.patient_get_for_user(access=access, patient_id=patient_id, purpose="edit_form")
        initial = {name: getattr(patient, name) for name in services.PATIENT_EDITABLE_FIELDS}
        patient_form = PatientEditForm(initial=initial)
        guarantor = getattr(patient, "guarantor", None)
        guarantor_initial = (
            {name: getattr(guarantor, name) for name in GuarantorForm.base_fields} if guarantor else {}
        )
        guarantor_form = GuarantorForm(initial=guarantor_initial, prefix="guarantor")
        header = _header(patient)
    return render(
        request,
        "patients/edit.html",
        {
            "form": patient_form,
            "guarantor_form": guarantor_form,
            "header": header,
            "detail_url": reverse("patients:detail", args=[patient_id]),
        },
        status=400 if patient_form.errors or guarantor_form.errors else 200,
    )


def _child_form_page(
    request: HttpRequest,
    access: PracticeAccess,
    patient_id: int,
    *,
    form: forms.Form,
    save: Callable[[dict[str, Any]], object],
    template: str,
    purpose: str,
    success: str,
) -> HttpResponse:
    """GET shows the form (one view event for the header); POST saves or shows errors."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, success)
            return redirect("patients:detail", patient_id=patient_id)
    patient = selectors.patient_get_for_user(access=access, patient_id=patient_id, purpose=purpose)
    return render(
        request, template, {"form": form, "header": _header(patient)}, status=400 if form.errors else 200
    )


@_screen
def coverage_add(request: HttpRequest, access: PracticeAccess, patient_id: int) -> HttpResponse:
    access.require(Capability.COVERAGE_EDIT)
    form = CoverageForm(
        request.POST or None, payer_choices=_payer_choices(access), blank_label="Choose a payer"
    )
    return _child_form_page(
        request,
        access,
        patient_id,
        form=form,
        save=lambda data: services.coverage_add(
            access=access, patient_id=patient_id, coverage=_coverage_input(data)
        ),
        template="patients/coverage_form.html",
        purpose="coverage_form",
        success="Coverage added.",
    )


@_screen
def diagnosis_add(request: HttpRequest, access: PracticeAccess, patient_id: int) -> HttpResponse:
    access.require(Capability.DIAGNOSIS_EDIT)
    return _child_form_page(
        request,
        access,
        patient_id,
        form=DiagnosisForm(request.POST or None),
        save=lambda data: services.diagnosis_add(
            access=access,
            patient_id=patient_id,
            diagnosis=DiagnosisInput(
                code=_text(data, "code"),
                description=_text(data, "description"),
                onset_on=data.get("onset_on"),
                rank=data.get("rank") or 1,
            ),
        ),
        template="patients/diagnosis_form.html",
        purpose="diagnosis_form",
        success="Diagnosis added.",
    )


@_screen
def consent_add(request: HttpRequest, access: PracticeAccess, patient_id: int) -> HttpResponse:
    access.require(Capability.CONSENT_EDIT)
    return _child_form_page(
        request,
        access,
        patient_id,
        form=ConsentForm(request.POST or None),
        save=lambda data: services.consent_add(
            access=access,
            patient_id=patient_id,
            consent=ConsentInput(
                kind=_text(data, "kind"),
                signed_on=data.get("signed_on"),
                expires_on=data.get("expires_on"),
                recipient=_text(data, "recipient"),
                purpose=_text(data, "purpose"),
            ),
        ),
        template="patients/consent_form.html",
        purpose="consent_form",
        success="Consent recorded.",
    )


# Small POST-only actions from the detail page: the outcome is a message on the detail page.


def _action(
    request: HttpRequest, patient_id: int, act: Callable[[dt.date | None], object], success: str
) -> HttpResponse:
    form = DateActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the date as YYYY-MM-DD.")
    else:
        try:
            act(form.cleaned_data.get("on"))
        except ValidationFailed as error:
            for texts in error.field_errors.values():
                for text in texts:
                    messages.error(request, text)
        else:
            messages.success(request, success)
    return redirect("patients:detail", patient_id=patient_id)


@require_POST
@_screen
def coverage_terminate(
    request: HttpRequest, access: PracticeAccess, patient_id: int, coverage_id: int
) -> HttpResponse:
    access.require(Capability.COVERAGE_EDIT)
    return _action(
        request,
        patient_id,
        lambda on: services.coverage_terminate(
            access=access, patient_id=patient_id, coverage_id=coverage_id, terminates_on=on
        ),
        "Coverage terminated.",
    )


@require_POST
@_screen
def diagnosis_resolve(
    request: HttpRequest, access: PracticeAccess, patient_id: int, diagnosis_id: int
) -> HttpResponse:
    access.require(Capability.DIAGNOSIS_EDIT)
    return _action(
        request,
        patient_id,
        lambda on: services.diagnosis_resolve(
            access=access, patient_id=patient_id, diagnosis_id=diagnosis_id, resolved_on=on
        ),
        "Diagnosis resolved.",
    )


@require_POST
@_screen
def consent_revoke(
    request: HttpRequest, access: PracticeAccess, patient_id: int, consent_id: int
) -> HttpResponse:
    access.require(Capability.CONSENT_EDIT)
    return _action(
        request,
        patient_id,
        lambda on: services.consent_revoke(
            access=access, patient_id=patient_id, consent_id=consent_id, revoked_on=on
        ),
        "Consent revoked.",
    )


@require_POST
@_screen
def care_team_add(request: HttpRequest, access: PracticeAccess, patient_id: int) -> HttpResponse:
    access.require(Capability.PATIENT_EDIT)
    form = CareTeamForm(
        request.POST, provider_choices=selectors.provider_choices_for_practice(practice_id=access.practice_id)
    )
    if not form.is_valid() or form.cleaned_data.get("provider") is None:
        messages.error(request, "Choose an active provider of this practice.")
        return redirect("patients:detail", patient_id=patient_id)
    try:
        services.care_team_add(
            access=access,
            patient_id=patient_id,
            provider_id=form.cleaned_data["provider"],
            starts_on=form.cleaned_data.get("starts_on"),
            ends_on=form.cleaned_data.get("ends_on"),
        )
    except ValidationFailed as error:
        for texts in error.field_errors.values():
            for text in texts:
                messages.error(request, text)
    else:
        messages.success(request, "Provider added to the care team.")
    return redirect("patients:detail", patient_id=patient_id)


@require_POST
@_screen
def care_team_remove(
    request: HttpRequest, access: PracticeAccess, patient_id: int, member_id: int
) -> HttpResponse:
    access.require(Capability.PATIENT_EDIT)
    try:
        services.care_team_remove(access=access, patient_id=patient_id, member_id=member_id)
    except ValidationFailed as error:
        for texts in error.field_errors.values():
            for text in texts:
                messages.error(request, text)
    else:
        messages.success(request, "Provider removed from the care team.")
    return redirect("patients:detail", patient_id=patient_id)
