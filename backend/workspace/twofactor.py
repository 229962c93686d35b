"""The two-factor page: enrol an authenticator app (QR code drawn on the server), or
confirm this session with a code when the device already exists."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts import twofactor
from accounts.forms import OneTimeCodeForm
from workspace.access import staff_required
from workspace.qr import qr_svg


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@staff_required()
@require_http_methods(["GET", "POST"])
def two_factor(request):
    user = request.user
    device = twofactor.confirmed_device(user)
    required = twofactor.two_factor_required(user)
    if device is not None and user.is_verified():
        return render(request, "accounts/two_factor.html",
                      {"state": "on", "required": required, "next": _next(request)})
    enrolling = device is None
    if enrolling:
        device = twofactor.device_for_enrolment(user=user)
    form = OneTimeCodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            code = form.cleaned_data["code"]
            check = twofactor.device_confirm if enrolling else twofactor.session_verify
            if check(request=request, device=device, code=code):
                return redirect(_next(request))
            form.add_error("code", twofactor.CODE_WRONG)
        status = 400
    context = {"state": "enrol" if enrolling else "verify", "form": form, "required": required,
               "next": _next(request)}
    if enrolling:
        context.update(qr=qr_svg(device.config_url), secret=twofactor.device_secret(device))
    return render(request, "accounts/two_factor.html", context, status=status)
