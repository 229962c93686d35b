"""The centre administrator's configuration pages: the centre's windows (categories
served as checkboxes) and its staff (account and officer profile in one form). Every
change goes through ``centres.services`` / ``staff.services`` with history; the Django
admin stays for superusers. Duty and hand-over stay on the team page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from centres.models import ServiceCentre, Window
from centres.services import window_save
from staff.models import Officer
from staff.permissions import CONFIG_ROLES, configured_centre_id
from staff.services import officer_create, officer_update
from workspace.access import staff_required
from workspace.display import category_label
from workspace.forms import add_service_errors
from workspace.setup_forms import OfficerSetupForm, WindowSetupForm


def _centre(request):
    centre_id = configured_centre_id(request.user)
    return ServiceCentre.objects.get(pk=centre_id) if centre_id is not None else None


def _no_centre(request):
    return render(request, "workspace/forbidden.html", {"role": request.role}, status=403)


@staff_required(*CONFIG_ROLES)
@require_http_methods(["GET"])
def setup_home(request):
    centre = _centre(request)
    if centre is None:
        return _no_centre(request)
    windows = list(Window.objects.filter(centre=centre).order_by("code"))
    for window in windows:
        window.category_labels = [category_label(key) for key in window.categories or []]
    staff = list(Officer.objects.filter(centre=centre).select_related("user", "backup")
                 .prefetch_related("windows").order_by("-user__is_active", "role", "display_name", "pk"))
    for person in staff:
        person.skill_labels = [category_label(key) for key in person.skills or []]
    return render(request, "workspace/setup.html", {"centre": centre, "windows": windows, "staff": staff})


@staff_required(*CONFIG_ROLES)
@require_http_methods(["GET", "POST"])
def setup_window(request, pk: int | None = None):
    centre = _centre(request)
    if centre is None:
        return _no_centre(request)
    window = get_object_or_404(Window, pk=pk, centre=centre) if pk is not None else None
    if request.method == "POST":
        form = WindowSetupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = window_save(centre=centre, window=window, actor=request.user, reason=data["reason"],
                                    code=data["code"], name_zh=data["name_zh"], name_en=data["name_en"],
                                    categories=data["categories"], is_active=data["is_active"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Window %(name)s saved.") % {"name": saved.name})
                return redirect("workspace:setup")
        status = 422
    else:
        initial = {"is_active": True} if window is None else {
            "code": window.code, "name_zh": window.name_zh, "name_en": window.name_en,
            "categories": window.categories, "is_active": window.is_active}
        form, status = WindowSetupForm(initial=initial), 200
    return render(request, "workspace/setup_form.html", {
        "centre": centre, "form": form, "title": window.name if window else _("New window"),
        "kind": "window"}, status=status)


@staff_required(*CONFIG_ROLES)
@require_http_methods(["GET", "POST"])
def setup_officer(request, pk: int | None = None):
    centre = _centre(request)
    if centre is None:
        return _no_centre(request)
    officer = (get_object_or_404(Officer.objects.select_related("user"), pk=pk, centre=centre)
               if pk is not None else None)
    if request.method == "POST":
        form = OfficerSetupForm(request.POST, centre=centre, officer=officer)
        if form.is_valid():
            data = form.cleaned_data
            common = {"actor": request.user, "reason": data["reason"], "display_name": data["display_name"],
                      "role": data["role"], "email": data["email"], "windows": list(data["windows"]),
                      "skills": data["skills"], "languages": data["languages"],
                      "capacity": data["capacity"], "backup": data["backup"]}
            try:
                if officer is None:
                    saved = officer_create(centre=centre, username=data["username"], password=data["password"],
                                           on_duty=data["on_duty"], **common)
                else:
                    saved = officer_update(officer=officer, active=data["active"], **common)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("%(name)s saved.") % {"name": saved.display_name})
                return redirect("workspace:setup")
        status = 422
    else:
        initial = {"capacity": 25, "on_duty": True, "languages": ["zh"]} if officer is None else {
            "display_name": officer.display_name, "role": officer.role, "email": officer.user.email,
            "windows": list(officer.windows.all()), "skills": officer.skills, "languages": officer.languages,
            "capacity": officer.capacity, "backup": officer.backup_id, "active": officer.user.is_active}
        form, status = OfficerSetupForm(initial=initial, centre=centre, officer=officer), 200
    return render(request, "workspace/setup_form.html", {
        "centre": centre, "form": form, "kind": "officer",
        "title": officer.display_name if officer else _("New staff member")}, status=status)
