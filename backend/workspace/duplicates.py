"""Possible duplicate talent records, for supervisors, and the merge (one POST, one service)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import ActionForbidden
from prereview.merge import duplicate_pairs, talent_merge
from prereview.models import TalentMerge
from staff.models import Role
from talents.models import Talent
from workspace.access import staff_required

SUPERVISORS = (Role.SUPERVISOR, Role.ADMIN)


@staff_required(*SUPERVISORS)
@require_GET
def duplicates(request):
    return render(request, "prereview/duplicates.html", {
        "pairs": duplicate_pairs(user=request.user),
        "merges": TalentMerge.objects.filter(survivor__in=Talent.objects.visible_to(request.user))
        .select_related("survivor", "actor")[:20],
    })


@staff_required(*SUPERVISORS)
@require_GET
def duplicates_count(request):
    """The number of possible duplicate pairs the supervisor may see, for the navigation
    link (empty when there are none); fetched by htmx after the page."""
    count = len(duplicate_pairs(user=request.user))
    return HttpResponse(str(count) if count else "", content_type="text/plain; charset=utf-8")


@staff_required(*SUPERVISORS)
@require_POST
def merge(request):
    pair = [_int(value) for value in request.POST.get("pair", "").split(",")]
    kept = _int(request.POST.get("survivor"))
    if len(pair) != 2 or kept not in pair:
        messages.error(request, _("Choose the record to keep."))
        return redirect("workspace:duplicates")
    scope = Talent.objects.visible_to(request.user)
    survivor = get_object_or_404(scope, pk=kept)
    duplicate = get_object_or_404(scope, pk=pair[1] if pair[0] == kept else pair[0])
    try:
        record = talent_merge(survivor=survivor, duplicate=duplicate, actor=request.user,
                              reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except ActionForbidden as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Merged: %(count)d ticket(s) moved to %(name)s.")
                         % {"count": len(record.tickets), "name": survivor.display_name})
    return redirect("workspace:duplicates")


def _int(value) -> int:
    return int(value) if (value or "").isdigit() and len(value) < 12 else 0
