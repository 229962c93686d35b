"""Talents' uploads and ratings in the admin: for looking, never for editing (they are
written only by the portal's services)."""

from django.contrib import admin

from core.admin import AuditedAdmin
from portal.models import FailedStatusCheck, Rating
from prereview.models import Attachment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "ticket", "material", "original_name", "content_type", "size"]
    list_filter = ["content_type"]
    search_fields = ["ticket__reference", "original_name", "sha256"]
    list_select_related = ["ticket", "material"]
    fields = ["key", "ticket", "material", "original_name", "content_type", "size", "sha256",
              "by_talent", "uploaded_by", "created_at"]
    readonly_fields = fields


@admin.register(Rating)
class RatingAdmin(AuditedAdmin):
    list_display = ["created_at", "ticket", "score", "follow_up", "follow_up_done_at"]
    list_filter = ["score", "follow_up"]
    search_fields = ["ticket__reference", "comment"]
    list_select_related = ["ticket"]
    readonly_fields = ["ticket", "score", "comment", "created_at", "follow_up", "follow_up_done_at",
                       "follow_up_by", "follow_up_note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FailedStatusCheck)
class FailedStatusCheckAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "reason", "reference", "address"]
    list_filter = ["reason"]
    search_fields = ["reference", "address"]
    date_hierarchy = "created_at"
