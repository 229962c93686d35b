from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from knowledge.models import Article, ReplyTemplate


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["key", "category", "title_zh_hans", "effective_from", "expires_on", "published"]
    list_filter = ["published", "category"]
    search_fields = ["key", "title_zh_hans", "title_zh_hant", "title_en"]

    def has_change_permission(self, request, obj=None):
        return False  # edited through the supervisors' pages, which keep the reason

    def has_add_permission(self, request):
        return False


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(ArticleAdmin):
    list_display = ["key", "category", "title_zh_hans", "title_en"]
    list_filter = ["category"]
    search_fields = ["key", "title_zh_hans", "title_en"]
