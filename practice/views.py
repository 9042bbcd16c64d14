"""Practice screens: providers (list, detail, create, edit) and practice settings.

Thin: each view checks the capability, calls selectors/services, and hands the template
ready-made rows from `view_models`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.access import PracticeAccess, screen_access
from accounts.domain.roles import Capability
from core.errors import ValidationFailed
from core.pagination import page_window, pager
from core.views import add_errors_to_form, app_errors
from practice import selectors, services
from practice.forms import (
    LicenseForm,
    LicenseRenewForm,
    LocationEditForm,
    LocationForm,
    PracticeForm,
    ProviderEditForm,
    ProviderForm,
    SupervisionEndForm,
    SupervisionForm,
)
from practice.view_models import location_row, provider_page, provider_row

ViewFunc = Callable[..., HttpResponse]


_access = screen_access
_app_errors = app_errors


# --- providers --------------------------------------------------------------------------------


@login_required
@_app_errors
def provider_list(request: HttpRequest) -> HttpResponse:
    access = _access(request, Capability.PROVIDER_VIEW)
    window = page_window(request.GET)
    page = selectors.provider_overview_page(access=access, offset=window.offset, limit=window.size)
    context = {
        "rows": [provider_row(o) for o in page.providers],
        "pager": pager(params=request.GET, window=window, total=page.total, shown=len(page.providers)),
        "can_manage": access.can(Capability.PRACTICE_MANAGE),
    }
    return render(request, "practice/provider_list.html", context)


def _supervisor_choices(access: PracticeAccess, provider_id: int) -> list[tuple[int, str]]:
    return [(pk, label) for pk, label in selectors.provider_choices(access=access) if pk != provider_id]


def _render_detail(
    request: HttpRequest,
    access: PracticeAccess,
    provider_id: int,
    *,
    license_form: LicenseForm | None = None,
    supervision_form: SupervisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    overview = selectors.provider_overview_get(access=access, provider_id=provider_id)
    can_manage = access.can(Capability.PRACTICE_MANAGE)
    context: dict[str, Any] = {"page": provider_page(overview), "can_manage": can_manage}
    if can_manage:
        context["license_form"] = license_form or LicenseForm()
        context["supervision_form"] = supervision_form or SupervisionForm(
            supervisor_choices=_supervisor_choices(access, provider_id)
        )
        context["renew_form"] = LicenseRenewForm()
        context["end_form"] = SupervisionEndForm()
    return render(request, "practice/provider_detail.html", context, status=status)


@login_required
@_app_errors
def provider_detail(request: HttpRequest, provider_id: int) -> HttpResponse:
    access = _access(request, Capability.PROVIDER_VIEW)
    return _render_detail(request, access, provider_id)


@login_required
@_app_errors
def provider_create(request: HttpRequest) -> HttpResponse:
    access = _access(request, Capability.PRACTICE_MANAGE)
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(access=access, **form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, "Provider added.")
            return redirect("practice:provider_detail", provider_id=provider.pk)
    context = {"form": form, "title": "Add a provider", "cancel_url": "practice:provider_list"}
    return render(request, "practice/provider_form.html", context, status=400 if form.errors else 200)


@login_required
@_app_errors
def provider_edit(request: HttpRequest, provider_id: int) -> HttpResponse:
    access = _access(request, Capability.PRACTICE_MANAGE)
    provider = selectors.provider_get(access=access, provider_id=provider_id)
    initial = {
        "first_name": provider.first_name,
        "last_name": provider.last_name,
        "credential": provider.credential,
        "npi": provider.npi,
        "taxonomy_code": provider.taxonomy_code,
        "is_active": provider.is_active,
    }
    form = ProviderEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(access=access, provider_id=provider_id, **form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, "Provider saved.")
            return redirect("practice:provider_detail", provider_id=provider_id)
    context = {"form": form, "title": f"Edit {provider.full_name}", "cancel_url": "practice:provider_list"}
    return render(request, "practice/provider_form.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
@_app_errors
def license_add(request: HttpRequest, provider_id: int) -> HttpResponse:
    access = _access(request, Capability.PRACTICE_MANAGE)
    form = LicenseForm(request.POST)
    if form.is_valid():
        try:
            services.license_add(access=access, provider_id=provider_id, **form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, "Licence added.")
            return redirect("practice:provider_detail", provider_id=provider_id)
    return _render_detail(request, access, provider_id, license_form=form, status=400)


@require_POST
@login_required
@_app_errors
def license_renew(request: HttpRequest, license_id: int) -> HttpResponse:
    access = _access(request, Capability.PRACTICE_MANAGE)
    lic = selectors.license_get(access=access, license_id=license_id)
    form = LicenseRenewForm(request.POST)
    if form.is_valid():
        try:
            services.license_renew(access=access, license_id=license_id, **form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
    if form.errors:
        for message in [m for messages_ in form.errors.values() for m in messages_]:
            messages.error(request, f"Renewal not saved: {message}")
    else:
        messages.success(request, "Licence renewed.")
    return redirect("practice:provider_detail", provider_id=lic.provider_id)


@require_POST
@login_required
@_app_errors
def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    access = _access(request, Capability.PRACTICE_MANAGE)
    alert = services.license_alert_acknowledge(access=access, alert_id=alert_id)
    messages.success(request, "Alert acknowledged.")
    provider_id = selectors.license_get(access=access, license_id=alert.license_id).provider_id
    return redirect("practice:provider_detail", provider_id=provider_id)


@require_POST
@login_required
@_app_errors
def supervision_add(request: HttpRequest, provider_id: int) -> HttpResponse:
    access = _access(request, Capability.PRACTICE_MANAGE)
    form = SupervisionForm(request.POST, supervisor_choices=_supervisor_choices(access, provider_id))
    if form.is_valid():
        try:
            services.supervision_add(access=access, supervisee_id=provider_id, **form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, "Supervision recorded.")
            return redirect("practice:provider_detail", provider_id=provider_id)
    return _render_detail(request, access, provider_id, supervision_form=form, status=400)


@require_POST
@login_required
@_app_errors
def supervision_end(request: HttpRequest, supervision_id: int) -> HttpResponse:
    access = _access(request, Capability.PRACTICE_MANAGE)
    supervision = selectors.supervision_get(access=access, supervision_id=supervision_id)
    back = request.POST.get("back") == "supervisor"
    provider_id = supervision.supervisor_id if back else supervision.supervisee_id
    form = SupervisionEndForm(request.POST)
    if form.is_valid():
        try:
            services.supervision_end(access=access, supervision_id=supervision_id, **form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
    if form.errors:
        for message in [m for messages_ in form.errors.values() for m in messages_]:
            messages.error(request, f"Supervision not ended: {message}")
    else:
        messages.success(request, "Supervision ended.")
    return redirect("practice:provider_detail", provider_id=provider_id)


# --- practice settings and locations ------------------------------------------------------------


def _location_rows(access: PracticeAccess) -> list[Any]:
    return [
        location_row(
            location_id=loc.pk,
            name=loc.name,
            address_line1=loc.address_line1,
            address_line2=loc.address_line2,
            city=loc.city,
            state=loc.state,
            postal_code=loc.postal_code,
            npi=loc.npi,
            default_place_of_service=loc.default_place_of_service,
            is_active=loc.is_active,
        )
        for loc in selectors.location_list(access=access)
    ]


PRACTICE_FIELDS = (
    "legal_name",
    "tax_id",
    "billing_npi",
    "taxonomy_code",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "phone",
    "timezone",
)


def _render_settings(
    request: HttpRequest,
    access: PracticeAccess,
    *,
    practice_form: PracticeForm | None = None,
    location_form: LocationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if practice_form is None:
        practice = selectors.practice_get(access=access)
        practice_form = PracticeForm(initial={name: getattr(practice, name) for name in PRACTICE_FIELDS})
    context = {
        "practice_form": practice_form,
        "location_form": location_form or LocationForm(),
        "locations": _location_rows(access),
    }
    return render(request, "practice/settings.html", context, status=status)


@login_required
@_app_errors
def settings_view(request: HttpRequest) -> HttpResponse:
    access = _access(request, Capability.PRACTICE_MANAGE)
    if request.method != "POST":
        return _render_settings(request, access)
    form = PracticeForm(request.POST)
    if form.is_valid():
        try:
            services.practice_update(access=access, **form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, "Practice details saved.")
            return redirect("practice:settings")
    return _render_settings(request, access, practice_form=form, status=400)


@require_POST
@login_required
@_app_errors
def location_create(request: HttpRequest) -> HttpResponse:
    access = _access(request, Capability.PRACTICE_MANAGE)
    form = LocationForm(request.POST)
    if form.is_valid():
        try:
            services.location_create(access=access, **form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, "Location added.")
            return redirect("practice:settings")
    return _render_settings(request, access, location_form=form, status=400)


@login_required
@_app_errors
def location_edit(request: HttpRequest, location_id: int) -> HttpResponse:
    access = _access(request, Capability.PRACTICE_MANAGE)
    location = selectors.location_get(access=access, location_id=location_id)
    initial = {name: getattr(location, name) for name in LocationEditForm.base_fields}
    form = LocationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.location_update(access=access, location_id=location_id, **form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, "Location saved.")
            return redirect("practice:settings")
    context = {"form": form, "title": f"Edit {location.name}"}
    return render(request, "practice/location_form.html", context, status=400 if form.errors else 200)
