"""Sign in and out, the start page by role, and the remembered interface language."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts.forms import ThrottledAuthenticationForm
from accounts.signin import signin_succeeded
from staff.models import Role
from workspace.access import staff_required
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
        signin_succeeded(username=user.get_username())
        response = super().form_valid(form)
        current = translation.get_language() or settings.LANGUAGE_CODE
        preference, _created = StaffPreference.objects.get_or_create(
            user=user, defaults={"language": current if current in LANGUAGE_CODES else settings.LANGUAGE_CODE}
        )
        translation.activate(preference.language)
        _set_language_cookie(response, preference.language)
        return response


class LogoutView(auth_views.LogoutView):
    template_name = "workspace/login.html"


@staff_required()
def home(request):
    """Window staff start at intake; officers and supervisors at their work."""
    if request.role == Role.WINDOW_STAFF:
        return redirect("workspace:intake")
    return redirect("workspace:my_work")


@require_POST
def language(request):
    """Django's ``set_language`` (cookie), and the choice kept for the next sign-in."""
    response = set_language(request)
    chosen = request.POST.get("language")
    if request.user.is_authenticated and chosen in LANGUAGE_CODES:
        StaffPreference.objects.update_or_create(user=request.user, defaults={"language": chosen})
    return response
