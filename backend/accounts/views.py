"""Sign-in pages that are not the workspace's own form."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from staff.models import role_of


def admin_login(request):
    """``/admin/login/`` is the workspace sign-in: one form, one throttle, one two-factor
    step for every door. A signed-in user the admin site refuses gets a 403 page (sending
    them to the sign-in page again would loop)."""
    target = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(target, settings.LOGIN_URL)
    if admin.site.has_permission(request):
        return redirect(target)
    return render(request, "workspace/forbidden.html", {"role": role_of(request.user)},
                  status=403)
