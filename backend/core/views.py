"""Health check, and the answers for a page that is not there or a server error.

``/api/`` paths get the API's error shape (``{"detail": …}``, JSON) in every case, also
when no API view ran (an unknown or malformed path); other paths get HTML. A server
error gets an incident id, shown to the reader and logged with the traceback
(``talentdesk.errors``), so a report by phone finds its log line.
"""

import logging
import sys
import uuid

from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.tasks import last_heartbeat

log = logging.getLogger("talentdesk.errors")


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers: the database answers; the worker's last heartbeat."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"database": "ok", "worker_heartbeat": (last_heartbeat() or {}).get("at")})


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _is_portal(request) -> bool:
    return request.path.startswith("/status/")


def not_found(request, exception=None):
    """``handler404``: the API's JSON, the portal's own page for talents, and the
    workspace's page (its layout and navigation, the user's language) everywhere else —
    e.g. a colleague's ticket outside the user's scope."""
    if _is_api(request):
        # The same words as the API views' 404 (Django REST framework's catalogue).
        return JsonResponse({"detail": _("Not found.")}, status=404)
    template = "portal/not_found.html" if _is_portal(request) else "404.html"
    return defaults.page_not_found(request, exception, template_name=template)


def forbidden(request, exception=None):
    """``handler403``: as ``not_found``, for a refused page."""
    if _is_api(request):
        return JsonResponse({"detail": _("You do not have permission to perform this action.")}, status=403)
    template = "portal/not_found.html" if _is_portal(request) else "403.html"
    return defaults.permission_denied(request, exception, template_name=template)


def server_error(request):
    """``handler500``: called while the exception is being handled."""
    incident = uuid.uuid4().hex[:12]
    log.error("incident %s: %s %s", incident, request.method, request.path,
              exc_info=sys.exc_info())
    if _is_api(request):
        response = JsonResponse(
            {"detail": _("A server error occurred."), "incident": incident}, status=500)
    else:
        response = HttpResponseServerError(loader.render_to_string("500.html", {"incident": incident}))
    response["X-Incident-Id"] = incident
    response["Cache-Control"] = "no-store"
    return response


