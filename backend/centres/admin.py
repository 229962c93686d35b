from django.contrib import admin

from centres.models import ServiceCentre, Window
from core.admin import AuditedAdmin


@admin.register(ServiceCentre)
class ServiceCentreAdmin(AuditedAdmin):
    list_display = ["code", "name_zh", "name_en", "time_zone"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Window)
class WindowAdmin(AuditedAdmin):
    list_display = ["code", "name_zh", "name_en", "centre", "is_active"]
    list_filter = ["centre", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]
