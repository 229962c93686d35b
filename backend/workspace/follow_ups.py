"""The supervisors' follow-ups of low ratings: the list and closing one with a note.

A rating of 1 or 2 flags a follow-up (``portal.services.portal_rate``); the supervisors
of the ticket's centre see it here and record what was agreed with the talent
(``portal.services.rating_follow_up_close``). Another centre's rating is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.models import Rating
from portal.services import rating_follow_up_close
from workspace.access import SUPERVISING_ROLES, staff_required
from workspace.forms import FollowUpForm, add_service_errors

TEMPLATE = "workspace/follow_ups.html"


def _page(request, *, form=None, form_for=None, status_code=200):
    scoped = Rating.objects.for_centre_of(request.user).select_related(
        "ticket__talent", "ticket__assignee", "follow_up_by__officer"
    )
    context = {
        "open": list(scoped.needing_follow_up().order_by("created_at", "pk")),
        "done": list(scoped.filter(follow_up=True, follow_up_done_at__isnull=False)
                     .order_by("-follow_up_done_at", "-pk")[:20]),
        "form": form,
        "form_for": form_for,
        "blank_form": FollowUpForm(),
    }
    return render(request, TEMPLATE, context, status=status_code)


@staff_required(*SUPERVISING_ROLES)
@require_GET
def follow_ups(request):
    return _page(request)


@staff_required(*SUPERVISING_ROLES)
@require_POST
def follow_up_close(request, pk: int):
    rating = Rating.objects.for_centre_of(request.user).select_related("ticket").filter(pk=pk).first()
    if rating is None:
        raise Http404
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            rating_follow_up_close(rating=rating, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Follow-up of %(reference)s recorded.")
                             % {"reference": rating.ticket.reference})
            return redirect("workspace:follow_ups")
    return _page(request, form=form, form_for=rating.pk, status_code=400)
