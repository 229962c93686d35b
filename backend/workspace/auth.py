"""Sign in and out, the start page by role, and the remembered interface language."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from accounts import signin, twofactor
from accounts.forms import OneTimeCodeForm, ThrottledAuthenticationForm
from staff.models import Role
from workspace.access import SUPERVISING_ROLES, staff_required
from workspace.models import StaffPreference

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def _set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class LoginView(auth_views.LoginView):
    """Django's sign-in, plus the user's language: the stored choice wins; a first
    sign-in stores the language the page was shown in."""

    template_name = "workspace/login.html"
    redirect_authenticated_user = True
    form_class = ThrottledAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.blocked:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.confirmed_device(user) is not None:
            # The password was right; the session holds a pending sign-in until the code is.
            twofactor.pending_start(self.request, user=user, redirect_to=self.get_success_url())
            return redirect("workspace:verify")
        signin.signin_succeeded(username=user.get_username())
        return _remember_language(user, super().form_valid(form))


def _remember_language(user, response):
    current = translation.get_language() or settings.LANGUAGE_CODE
    preference, _created = StaffPreference.objects.get_or_create(
        user=user, defaults={"language": current if current in LANGUAGE_CODES else settings.LANGUAGE_CODE}
    )
    translation.activate(preference.language)
    _set_language_cookie(response, preference.language)
    return response


@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in: the code from the authenticator app."""
    user = twofactor.pending_user(request)
    if user is None:
        return redirect("workspace:login")
    form = OneTimeCodeForm(request.POST if request.method == "POST" else None)
    status, retry_after, blocked = 200, None, ""
    if request.method == "POST":
        username = user.get_username()
        retry_after = signin.signin_blocked(request=request, username=username)
        if retry_after:
            form, blocked, status = OneTimeCodeForm(), signin.blocked_message(retry_after), 429
        elif form.is_valid():
            device = twofactor.confirmed_device(user)
            if device is not None and twofactor.device_verify(device=device, code=form.cleaned_data["code"]):
                target = twofactor.pending_next(request)
                twofactor.pending_clear(request)
                user.otp_device = device  # django-otp marks the new session verified
                auth_login(request, user)
                signin.signin_succeeded(username=username)
                return _remember_language(user, redirect(target))
            signin.signin_failed(request=request, username=username)
            form.add_error("code", twofactor.CODE_WRONG)
            status = 400
        else:
            status = 400
    response = render(request, "accounts/verify.html", {"form": form, "blocked": blocked},
                      status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


class LogoutView(auth_views.LogoutView):
    template_name = "workspace/login.html"


@staff_required()
def home(request):
    """Window staff start at intake, officers at their work, supervisors and
    administrators on the dashboard (they hold few tickets; the centre is their work)."""
    if request.role == Role.WINDOW_STAFF:
        return redirect("workspace:intake")
    if request.role in SUPERVISING_ROLES:
        return redirect("reports:dashboard")
    return redirect("workspace:my_work")


@require_POST
def language(request):
    """Django's ``set_language`` (cookie), and the choice kept for the next sign-in."""
    response = set_language(request)
    chosen = request.POST.get("language")
    if request.user.is_authenticated and chosen in LANGUAGE_CODES:
        StaffPreference.objects.update_or_create(user=request.user, defaults={"language": chosen})
    return response
