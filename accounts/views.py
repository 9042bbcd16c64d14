"""Sign-in, two-factor verification and enrolment, sign-out, practice switching."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from accounts import services, signals
from accounts.access import SESSION_PRACTICE_KEY
from accounts.forms import TokenForm
from core.errors import NotFound, ValidationFailed
from core.views import add_errors_to_form


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return "/"


def qr_data_uri(config_url: str) -> str:
    image = qrcode.make(config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def mfa(request: HttpRequest) -> HttpResponse:
    """Verify a TOTP code. Users without an authenticator enrol one with an admin's code first."""
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(next_url(request))
    device = services.mfa_confirmed_device(user=user)  # type: ignore[arg-type]
    if device is None:
        return redirect(reverse("mfa_enrol") + "?" + urlencode({"next": next_url(request)}))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mfa_token_check(device=device, token=form.cleaned_data["token"])
        except ValidationFailed as error:
            add_errors_to_form(form, error)
            signals.mfa_code_refused.send(
                sender=mfa, request=request, user=user, locked=error.code == "mfa_locked"
            )
        else:
            otp_login(request, device)
            signals.mfa_verified.send(sender=mfa, request=request, user=user)
            return redirect(next_url(request))
    # Wrong codes lock the device for a while: say so on arrival too, not only after a refusal.
    lock_notice = services.mfa_lock_problem(device=device) if not form.errors else ""
    context = {"form": form, "next": next_url(request), "lock_notice": lock_notice}
    return render(request, "accounts/mfa.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def switch_practice(request: HttpRequest) -> HttpResponse:
    try:
        practice_id = services.practice_switch_check(
            user=request.user,  # type: ignore[arg-type]
            practice_id=int(request.POST.get("practice_id", "0")),
        )
    except (NotFound, ValueError):
        return HttpResponse("Not found.", status=404)
    request.session[SESSION_PRACTICE_KEY] = practice_id
    return redirect("home")
