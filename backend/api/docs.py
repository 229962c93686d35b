"""Swagger UI at /api/docs/, offline and under the strict CSP.

The page loads Swagger UI from drf-spectacular-sidecar's static files (no CDN), its init
script is a separate same-origin request (``?script``), and our template has no inline
``<style>`` (drf-spectacular's has one, which ``style-src 'self'`` refuses).
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
