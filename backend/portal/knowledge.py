"""Policy answers for talents: the published articles in force, searchable in 简体, 繁體
or English, each shown in the script the talent picks (expired articles never show)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core import clock
from core.i18n import current_lang, traditional_active
from knowledge.models import Article, Script
from knowledge.rendering import render_markdown
from knowledge.search import article_search

SCRIPT_CHOICES = [(Script.ZH_HANS, "简体"), (Script.ZH_HANT, "繁體"), (Script.EN, "English")]
HTML_LANG = {Script.ZH_HANS: "zh-Hans", Script.ZH_HANT: "zh-Hant", Script.EN: "en"}


def _script(request) -> str:
    chosen = request.GET.get("script", "")
    if chosen in Script.values:
        return chosen
    if traditional_active():
        return Script.ZH_HANT
    return Script.EN if current_lang() == "en" else Script.ZH_HANS


def _public():
    return Article.objects.for_talents(timezone.localdate(clock.now()))


@require_GET
def knowledge_list(request):
    script = _script(request)
    query = (request.GET.get("q") or "").strip()[:100]
    articles = article_search(_public(), query)[:20] if query else _public()[:100]
    return render(request, "portal/knowledge_list.html", {
        "script": script, "scripts": SCRIPT_CHOICES, "query": query, "html_lang": HTML_LANG[script],
        "articles": [(a.key, a.title(script)) for a in articles],
    })


@require_GET
def knowledge_detail(request, key: str):
    article = _public().filter(key=key).first()
    if article is None:
        raise Http404
    script = _script(request)
    return render(request, "portal/knowledge_detail.html", {
        "article": article, "script": script, "scripts": SCRIPT_CHOICES, "html_lang": HTML_LANG[script],
        "title": article.title(script), "body": render_markdown(article.body(script)),
    })
