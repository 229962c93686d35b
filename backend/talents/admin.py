from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedAdmin
from talents.models import Talent


@admin.register(Talent)
class TalentAdmin(AuditedAdmin):
    list_display = ["display_name", "nationality", "masked_document", "tier", "dedicated_officer"]
    list_filter = ["tier", "preferred_language", "nationality"]
    search_fields = ["native_name", "latin_name", "phone", "email"]
    autocomplete_fields = ["dedicated_officer"]
    list_select_related = ["dedicated_officer"]

    @admin.display(description=_("document number"))
    def masked_document(self, obj):
        return obj.masked_document
