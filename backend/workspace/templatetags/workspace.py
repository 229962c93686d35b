"""Template helpers of the staff workspace."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from staff.models import role_of
from staff.permissions import (
    CASEWORK_ROLES,
    CONFIG_ROLES,
    ROUTABLE_ROLES,
    SUPERVISING_ROLES,
    home_centre_id,
)
from workspace.display import centre_time as _centre_time

register = template.Library()


@register.filter
def centre_time(value, centre):
    """``{{ ticket.due_at|centre_time:ticket.centre }}`` → ``2026-11-27 15:30``."""
    return _centre_time(value, centre)


def nav_items(request) -> list[dict]:
    role = role_of(request.user)
    if role is None:
        return []
    path = request.path
    items = [{"key": "intake", "label": _("Intake"), "url": reverse("workspace:intake")},
             {"key": "hall", "label": _("Calling"), "url": reverse("hall:window")}]
    if role in CASEWORK_ROLES:
        items.append({"key": "work", "label": _("My work"), "url": reverse("workspace:my_work")})
    else:
        # Window staff are routed no work: their list is what they opened or served.
        items.append({"key": "my_tickets", "label": _("My tickets"), "url": reverse("workspace:my_tickets")})
    items.append({"key": "knowledge", "label": _("Knowledge base"), "url": reverse("workspace:knowledge")})
    if role in SUPERVISING_ROLES:
        items.append({"key": "team", "label": _("Team"), "url": reverse("workspace:team")})
        items.append({"key": "reports", "label": _("Reports"), "url": reverse("reports:dashboard")})
        items.append({"key": "follow_ups", "label": _("Follow-ups"), "url": reverse("workspace:follow_ups")})
        # The count is fetched after the page (htmx), so no page pays for the duplicate scan.
        items.append({"key": "duplicates", "label": _("Duplicates"), "url": reverse("workspace:duplicates"),
                      "count_url": reverse("workspace:duplicates_count")})
    if role in CONFIG_ROLES and home_centre_id(request.user) is not None:
        items.append({"key": "setup", "label": _("Centre setup"), "url": reverse("workspace:setup")})
    if request.user.is_superuser:  # the Django admin is for superusers only
        items.append({"key": "admin", "label": pgettext("nav", "Administration"), "url": reverse("admin:index")})
    for item in items:
        item["current"] = path.startswith(item["url"]) and item["url"] != "/"
    return items


@register.inclusion_tag("workspace/_nav.html", takes_context=True)
def workspace_nav(context):
    request = context["request"]
    officer = getattr(request.user, "officer", None)
    return {
        "request": request,
        "items": nav_items(request),
        "officer": officer,
        "user": request.user,
        "role": role_of(request.user),
        # Officers and supervisors are routed tickets: their duty shows, and links to its page.
        "duty": officer is not None and officer.role in ROUTABLE_ROLES,
        "csrf_token": context.get("csrf_token"),
        "on_hotline": request.session.get("workspace_hotline", False),
        "search_query": context.get("query", "") if request.resolver_match
        and request.resolver_match.view_name == "workspace:search" else "",
    }
