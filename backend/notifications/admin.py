"""Outgoing messages (with a retry action for failed ones) and staff notices."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import Notice, OutboxMessage, Status
from notifications.outbox import outbox_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "channel", "to", "status", "attempts", "ticket",
                    "last_error"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["ticket__reference", "to"]
    list_select_related = ["ticket"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send failed or expired messages again"), permissions=["view"])
    def retry(self, request, queryset):
        count = 0
        for message in queryset.filter(status__in=[Status.FAILED, Status.EXPIRED]):
            outbox_retry(message=message)
            count += 1
        self.message_user(request, ngettext("%(count)d message queued again.",
                                            "%(count)d messages queued again.", count)
                          % {"count": count}, messages.SUCCESS)


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "ticket", "read_at"]
    list_filter = ["kind"]
    search_fields = ["ticket__reference", "recipient__display_name"]
    list_select_related = ["recipient", "ticket"]
    readonly_fields = ["recipient", "kind", "ticket", "data", "created_at", "read_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
