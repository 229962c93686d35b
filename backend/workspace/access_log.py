"""The sensitive-access log for supervisors: who revealed which document number, who
downloaded which attachment, who found a talent by document number — newest first, 50 a
page, filtered by kind, in a constant number of queries (``SensitiveAccess.objects.
visible_to``: a supervisor's centre; everything for administrators)."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from talents.models import AccessKind, SensitiveAccess
from workspace.access import SUPERVISING_ROLES, staff_required

PAGE_SIZE = 50


class AccessFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             error_messages={"invalid_choice": _("Choose a kind from the list.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("all kinds")), *AccessKind.choices]


@staff_required(*SUPERVISING_ROLES)
@require_GET
def sensitive_access(request):
    form = AccessFilterForm(request.GET)
    rows = SensitiveAccess.objects.visible_to(request.user).select_related(
        "user__officer", "talent", "ticket", "centre")
    status = 200
    if form.is_valid():
        if form.cleaned_data["kind"]:
            rows = rows.filter(kind=form.cleaned_data["kind"])
    else:
        rows, status = rows.none(), 400
    page = Paginator(rows.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workspace/access_log.html", {"form": form, "page": page}, status=status)
