"""``/readyz`` and ``/metrics``: plain function views for load balancers and Prometheus."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ops.metrics import exposition
from ops.readiness import readiness


@never_cache
@require_GET
def readyz(request):
    """200 when every check passes, 503 naming the ones that fail."""
    checks = readiness()
    failing = [name for name, check in checks.items() if not check.ok]
    body = {"ready": not failing, "failing": failing,
            "checks": {name: check.as_json() for name, check in checks.items()}}
    return JsonResponse(body, status=503 if failing else 200)


def metrics_allowed(request) -> bool:
    """With ``METRICS_TOKEN`` set, ``Authorization: Bearer <token>`` (compared in constant
    time); the development default (DEBUG on) also answers the machine itself (loopback,
    by the socket's address, never a forwarded header)."""
    token = settings.TALENTDESK_METRICS_TOKEN
    if token:
        scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return True
    if settings.DEBUG:
        try:
            return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
        except ValueError:
            return False
    return False


@never_cache
@require_GET
def metrics(request):
    # 404, not 401/403: an unauthorised caller cannot tell the endpoint exists.
    if not metrics_allowed(request):
        raise Http404
    body, content_type = exposition()
    return HttpResponse(body, content_type=content_type)
