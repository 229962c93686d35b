from django.contrib import admin

from core.admin import AuditedAdmin
from staff.models import Officer


@admin.register(Officer)
class OfficerAdmin(AuditedAdmin):
    list_display = ["display_name", "user", "role", "centre", "on_duty", "capacity", "backup"]
    list_filter = ["role", "centre", "on_duty"]
    search_fields = ["display_name", "user__username"]
    filter_horizontal = ["windows"]
    autocomplete_fields = ["backup"]
    list_select_related = ["user", "centre", "backup"]
