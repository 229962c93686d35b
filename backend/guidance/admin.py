"""Read-only views of the guidance records: what was suggested and chosen (corrections are
what the next training learns from), and the stored models."""

from django.contrib import admin

from guidance.models import GuidanceChoice, GuidanceModel


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GuidanceChoice)
class GuidanceChoiceAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "ticket", "suggested_category", "chosen_category", "corrected", "channel"]
    list_filter = ["corrected", "channel", "chosen_category"]
    search_fields = ["ticket__reference"]
    list_select_related = ["ticket"]
    readonly_fields = [f.name for f in GuidanceChoice._meta.fields]


@admin.register(GuidanceModel)
class GuidanceModelAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "corpus_examples", "ticket_examples", "trained_seconds", "corpus_digest"]
    exclude = ["blob"]
    readonly_fields = ["created_at", "format", "corpus_digest", "corpus_examples", "ticket_examples",
                       "last_ticket_id", "categories", "trained_seconds"]
