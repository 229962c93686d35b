"""Tickets in the admin are for looking, not for working: state and assignee are
read-only here because only the lifecycle services may change them."""

from django.contrib import admin

from core.admin import AuditedAdmin
from tickets.models import MaterialItem, Ticket, TimelineEvent


class MaterialInline(admin.TabularInline):
    model = MaterialItem
    extra = 0
    can_delete = False
    fields = ["material_id", "label_zh", "required", "status", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = TimelineEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "public", "actor", "action", "from_state", "to_state", "body"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(AuditedAdmin):
    list_display = ["reference", "category", "state", "channel", "priority", "assignee", "created_at"]
    list_filter = ["category", "channel", "priority", "centre"]
    search_fields = ["reference", "subject"]
    list_select_related = ["assignee", "talent"]
    readonly_fields = [
        "reference", "state", "assignee", "workflow_version", "created_at", "first_response_at",
        "resolved_at", "closed_at", "first_response_due", "resolution_due", "due_at",
        "sla_provisional", "first_response_met", "resolution_met",
    ]
    raw_id_fields = ["talent"]
    inlines = [MaterialInline, EventInline]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False  # tickets are opened through intake or the API (ticket_open)

    def has_delete_permission(self, request, obj=None):
        return False
