"""The team screen (who can sign in, MFA enrolment codes, device resets) and the enrolment page.

The enrolment page sits under /accounts/ (reachable before two-factor verification) but lives here,
with the services that write its audit events (practice is above audit; accounts is below).
"""

from __future__ import annotations

import base64
import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from accounts import signals as account_signals
from accounts.access import PracticeAccess, screen_access
from accounts.domain.enrolment import CODE_STATE_LABELS, CodeState
from accounts.domain.roles import ROLE_LABELS, Capability, Role
from accounts.forms import TokenForm
from accounts.services import mfa_confirmed_device
from accounts.views import next_url, qr_data_uri
from core.audit_context import AuditContext
from core.errors import ValidationFailed
from core.views import add_errors_to_form, app_errors
from practice import selectors, services
from practice.view_models import DASH

SESSION_CODE_KEY = "parity_mfa_enrolment_code_id"


def _moment(value: dt.datetime | None, access: PracticeAccess) -> str:
    if value is None:
        return DASH
    local = value.astimezone(selectors.practice_zone(practice_id=access.practice_id))
    return f"{local:%b} {local.day}, {local.year}, {local:%H:%M}"


def _team_rows(access: PracticeAccess) -> list[dict[str, object]]:
    rows = []
    for member in selectors.team_members(access=access):
        if member.has_authenticator:
            sign_in = "Authenticator enrolled"
        elif member.code_state == CodeState.VALID:
            sign_in = f"Enrolment code waiting, valid until {_moment(member.code_expires_at, access)}"
        elif member.code_state is not None:
            sign_in = f"No authenticator; last code {CODE_STATE_LABELS[CodeState(member.code_state)].lower()}"
        else:
            sign_in = "No authenticator; needs an enrolment code"
        rows.append(
            {
                "user_id": member.user_id,
                "username": member.username,
                "name": member.full_name or member.username,
                "role": ROLE_LABELS[Role(member.role)],
                "sign_in": sign_in,
                "has_authenticator": member.has_authenticator,
            }
        )
    return rows


def _render_team(
    request: HttpRequest, access: PracticeAccess, *, issued: services.IssuedCode | None = None
) -> HttpResponse:
    rows = _team_rows(access)
    context: dict[str, object] = {"rows": rows, "issued": None}
    if issued is not None:
        name = next((row["name"] for row in rows if row["user_id"] == issued.user_id), "")
        context["issued"] = {
            "code": issued.code,
            "name": name,
            "expires": _moment(issued.expires_at, access),
            "enrol_url": request.build_absolute_uri(reverse("mfa_enrol")),
        }
    return render(request, "practice/team.html", context)


@login_required
@app_errors
def team(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.PRACTICE_MANAGE)
    return _render_team(request, access)


@require_POST
@login_required
@app_errors
def team_code_issue(request: HttpRequest, user_id: int) -> HttpResponse:
    """Issue a one-time enrolment code; the page shows it once (it is never stored in clear)."""
    access = screen_access(request, Capability.PRACTICE_MANAGE)
    issued = services.mfa_enrolment_code_issue(
        practice_id=access.practice_id, user_id=user_id, context=access.audit
    )
    return _render_team(request, access, issued=issued)


@require_POST
@login_required
@app_errors
def team_mfa_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    access = screen_access(request, Capability.PRACTICE_MANAGE)
    services.mfa_device_reset(practice_id=access.practice_id, user_id=user_id, context=access.audit)
    messages.success(request, "Authenticator reset. Issue an enrolment code so they can enrol a new one.")
    return redirect("practice:team")


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label="Enrolment code",
        max_length=32,
        help_text="The code your practice admin gave you, e.g. ABCD-EFGH-JKMN-PQRS.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


@login_required
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator: first the admin's code, then the QR code and a first 6-digit code."""
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(next_url(request))
    if mfa_confirmed_device(user=user) is not None:  # type: ignore[arg-type]
        return redirect("accounts:mfa")
    context_audit = AuditContext.from_request(request)
    code_id = request.session.get(SESSION_CODE_KEY)
    device = services.mfa_enrolment_pending_device(user=user) if code_id else None  # type: ignore[arg-type]
    if code_id is None or device is None:
        form = EnrolmentCodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                request.session[SESSION_CODE_KEY] = services.mfa_enrolment_code_redeem(
                    user=user,  # type: ignore[arg-type]
                    code=form.cleaned_data["code"],
                    context=context_audit,
                )
            except ValidationFailed as error:
                add_errors_to_form(form, error)
            else:
                return redirect(reverse("mfa_enrol") + "?" + request.GET.urlencode())
        return render(
            request,
            "accounts/enrol.html",
            {"step": "code", "form": form, "next": next_url(request)},
            status=400 if form.errors else 200,
        )
    token_form = TokenForm(request.POST or None)
    if request.method == "POST" and token_form.is_valid():
        try:
            device = services.mfa_enrolment_complete(
                user=user,  # type: ignore[arg-type]
                code_id=code_id,
                token=token_form.cleaned_data["token"],
                context=context_audit,
            )
        except ValidationFailed as error:
            if "code" in error.field_errors:
                request.session.pop(SESSION_CODE_KEY, None)
                return redirect(reverse("mfa_enrol"))
            add_errors_to_form(token_form, error)
        else:
            request.session.pop(SESSION_CODE_KEY, None)
            otp_login(request, device)
            account_signals.mfa_verified.send(sender=mfa_enrol, request=request, user=user)
            return redirect(next_url(request))
    context = {
        "step": "scan",
        "form": token_form,
        "next": next_url(request),
        "qr_data_uri": qr_data_uri(device.config_url),
        "secret_b32": base64.b32encode(device.bin_key).decode(),
    }
    return render(request, "accounts/enrol.html", context, status=400 if token_form.errors else 200)
