"""Request latency per route name (see ``ops.metrics``)."""

from __future__ import annotations

import time

from ops.metrics import REQUEST_LATENCY


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        # The route's name keeps the label set small and free of references and tokens; a
        # path that matched nothing is one label.
        view = (match.view_name or match._func_path) if match is not None else "<unmatched>"
        REQUEST_LATENCY.labels(view=view, method=request.method if request.method in _METHODS
                               else "other", status=f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started)
        return response


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
