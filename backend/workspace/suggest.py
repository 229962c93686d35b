"""The intake page's category suggestions as the clerk types the description (window and
hotline alike). Advice only: the clerk picks the category; clicking a suggestion selects it
(frontend/static/js/workspace.js) and the suggestions shown are recorded with the ticket."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from core import clock
from guidance.services import guidance_suggest
from knowledge.relevant import relevant_articles
from workspace.access import staff_required

PARTIAL = "workspace/intake.html#intake-guidance"


@staff_required()
@require_GET
def intake_suggest(request):
    subject = request.GET.get("subject", "").strip()
    description = request.GET.get("description", "").strip()
    context = {"category": request.GET.get("category", ""), "suggestions": [], "guidance_error": "",
               "articles": []}
    text = f"{subject}\n{description}".strip() if description else ""
    if text:
        try:
            context["suggestions"] = guidance_suggest(text=text)
        except ValidationError as error:
            context["guidance_error"] = error.messages[0]
    suggestions = context["suggestions"]
    if suggestions:
        # 即问即答: the policy answers of the likely categories, to read out or hand over.
        context["articles"] = [
            (article.key, article.title("en" if get_language() == "en" else "zh_hans"))
            for article in relevant_articles(text=text, categories=[s.category for s in suggestions],
                                             today=timezone.localdate(clock.now()), language=get_language())
        ]
    context["suggested_keys"] = ",".join(s.category for s in suggestions)
    context["confident"] = bool(suggestions) and suggestions[0].confident
    return render(request, PARTIAL, context)
