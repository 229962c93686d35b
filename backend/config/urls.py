"""Top-level routes: each part of the product mounts its own ``urls`` module."""

from django.contrib import admin
from django.urls import include, path

from accounts.views import admin_login
from core.views import healthz
from ops.views import metrics, readyz

# The Django admin is for superusers only: a centre's administrator configures windows and
# staff on the workspace's setup pages (``workspace.setup``), through the services.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser

handler403 = "core.views.forbidden"
handler404 = "core.views.not_found"
handler500 = "core.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/reports/", include("reports.api_urls")),
    path("api/", include("api.urls")),
    path("status/", include("portal.urls")),
    path("reports/", include("reports.urls")),
    path("notices/", include("notifications.urls")),
    path("hall/", include("hall.urls")),
    path("", include("workspace.urls")),
]
