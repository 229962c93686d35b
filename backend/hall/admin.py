from django.contrib import admin

from core.admin import AuditedAdmin
from hall.models import QueueNumber, ServiceLine


@admin.register(ServiceLine)
class ServiceLineAdmin(AuditedAdmin):
    list_display = ["prefix", "name_zh", "name_en", "centre", "minutes_per_person", "is_active"]
    list_filter = ["centre", "is_active"]
    search_fields = ["prefix", "name_zh", "name_en"]
    filter_horizontal = ["windows"]


@admin.register(QueueNumber)
class QueueNumberAdmin(admin.ModelAdmin):
    """Read-only: numbers change only through the hall services (the window page, the API)."""

    list_display = ["number", "service_date", "line", "status", "source", "taken_at", "called_at",
                    "finished_at"]
    list_filter = ["centre", "status", "source", "service_date"]
    readonly_fields = [f.name for f in QueueNumber._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
