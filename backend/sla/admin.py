"""Calendar overrides are configuration (audited); SLA alerts are evidence (read-only)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedAdmin
from sla.models import CalendarOverride, SlaAlert


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdmin):
    list_display = ["day", "is_workday", "reason", "created_by"]
    list_filter = ["is_workday"]
    search_fields = ["reason"]
    date_hierarchy = "day"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj._change_reason = obj.reason[:100]
        super().save_model(request, obj, form, change)


@admin.register(SlaAlert)
class SlaAlertAdmin(admin.ModelAdmin):
    list_display = ["ticket", "target", "kind", "due_at", "created_at", "assignee"]
    list_filter = ["kind", "target"]
    search_fields = ["ticket__reference"]
    list_select_related = ["ticket", "assignee"]
    readonly_fields = ["ticket", "target", "kind", "due_at", "threshold_at", "created_at", "assignee"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("ticket"))
    def ticket_reference(self, obj):
        return obj.ticket.reference
