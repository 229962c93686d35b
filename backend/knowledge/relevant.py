"""即问即答: the published articles most relevant to a request, shown beside the guidance
suggestion (portal and window intake), and the record that one of them answered it.

Relevance: an article of a suggested category ranks by that category's place in the
suggestion, then by how many of the request's character pairs its title shares (both
scripts read as one: the request is compared with the title in the reader's script and
in simplified characters). General articles (no category) come only when they share
enough of the request's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from knowledge.models import Article, Script, SelfAnswer

MAX_ARTICLES = 3
GENERAL_OVERLAP = 2  # character pairs a general article's title must share with the request


def script_of(language: str) -> str:
    code = (language or "").lower()
    if code.startswith("en"):
        return Script.EN
    return Script.ZH_HANT if code.startswith("zh-hant") else Script.ZH_HANS


def _pairs(text: str) -> set[str]:
    text = "".join(ch.lower() for ch in text if ch.isalnum())
    return {text[i:i + 2] for i in range(len(text) - 1)}


def relevant_articles(*, text: str, categories: Sequence[str], today: date, language: str,
                      limit: int = MAX_ARTICLES) -> list[Article]:
    """Up to ``limit`` published articles in force for a request ``text`` whose suggested
    categories are ``categories`` (best first). One query."""
    rank = {category: place for place, category in enumerate(categories)}
    words = _pairs(text)
    script = script_of(language)
    scored = []
    for article in Article.objects.for_talents(today).order_by("key"):
        overlap = len(words & (_pairs(article.title(script)) | _pairs(article.title(Script.ZH_HANS))))
        if article.category in rank:
            scored.append(((rank[article.category], -overlap, article.key), article))
        elif not article.category and overlap >= GENERAL_OVERLAP:
            scored.append(((len(rank), -overlap, article.key), article))
    return [article for _key, article in sorted(scored, key=lambda pair: pair[0])[:limit]]


def self_answer_record(*, article_key: str, suggested_category: str, language: str, channel: str) -> SelfAnswer:
    """The talent says the article answered them: one row, no ticket. The article must be
    one talents may read today (``ValidationError`` on ``article`` otherwise)."""
    today = timezone.localdate(clock.now())
    article = Article.objects.for_talents(today).filter(key=(article_key or "")[:60]).first()
    if article is None:
        raise ValidationError({"article": [_("This answer is not available.")]})
    return SelfAnswer.objects.create(
        article=article, suggested_category=(suggested_category or "")[:40], script=script_of(language),
        channel=channel[:10], created_at=clock.now(),
    )
