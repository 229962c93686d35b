"""Staff notices: the list, marking read, and the unread count for the header.

Plain function views; every notice shown or changed is the signed-in officer's own
(another officer's notice id is simply not found among them).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from notifications.notices import notice_mark_read, notices_for, unread_count

PAGE = 100


def _officer(request):
    officer = getattr(request.user, "officer", None)
    if officer is None:
        raise PermissionDenied
    return officer


@login_required
@require_GET
def notice_list(request):
    officer = _officer(request)
    unread_only = request.GET.get("unread") == "1"
    notices = list(notices_for(officer, unread_only=unread_only)[:PAGE])
    template = "notifications/notices.html" + ("#notice-list" if request.htmx else "")
    return render(request, template, {"notices": notices, "unread_only": unread_only,
                                      "unread": unread_count(officer)})


@login_required
@require_POST
def notice_read(request):
    officer = _officer(request)
    raw = request.POST.getlist("notice")
    ids = [int(value) for value in raw if value.isdigit()] if raw else None
    notice_mark_read(officer=officer, notice_ids=ids)
    if request.htmx:
        notices = list(notices_for(officer)[:PAGE])
        return render(request, "notifications/notices.html#notice-list",
                      {"notices": notices, "unread": unread_count(officer)})
    return redirect("notifications:notices")


@login_required
@require_GET
def notice_count(request):
    officer = _officer(request)
    return render(request, "notifications/_notice_count.html",
                  {"unread": unread_count(officer), "show": True})
