from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import ExportRecord


@admin.register(ExportRecord)
class ExportRecordAdmin(SimpleHistoryAdmin):
    """The audit of exports: readable, never editable."""

    list_display = ("created_at", "user", "kind", "format", "rows")
    list_filter = ("kind", "format")
    search_fields = ("user__username", "kind")
    readonly_fields = ("user", "kind", "format", "filters", "rows", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
