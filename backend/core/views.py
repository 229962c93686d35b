from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.tasks import last_heartbeat


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers: the database answers; the worker's last heartbeat."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"database": "ok", "worker_heartbeat": (last_heartbeat() or {}).get("at")})
