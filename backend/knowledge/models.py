"""Policy articles in three scripts, reply templates, and which article answered a ticket.

An article is written once per script (简体, 繁體, English) by a supervisor; every edit
is kept (django-simple-history, with the editor and the reason). Talents see an article
while it is published, in force (``effective_from``) and not expired (``expires_on``);
staff see every article, expired ones flagged to their editors.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

SCRIPTS = ("zh_hans", "zh_hant", "en")


class Script(models.TextChoices):
    ZH_HANS = "zh_hans", _("Simplified Chinese")
    ZH_HANT = "zh_hant", _("Traditional Chinese")
    EN = "en", _("English")


class ArticleQuerySet(models.QuerySet):
    def for_talents(self, today: date):
        """Published, in force and not expired on ``today``."""
        return self.filter(published=True, effective_from__lte=today).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )

    def expired(self, today: date):
        return self.filter(expires_on__lt=today)


class Article(models.Model):
    key = models.SlugField(_("key"), max_length=60, unique=True)
    category = models.SlugField(
        _("category"), max_length=40, blank=True,
        help_text=_("The workflow category the article answers; empty for general policy."),
    )
    title_zh_hans = models.CharField(_("title (Simplified Chinese)"), max_length=200)
    title_zh_hant = models.CharField(_("title (Traditional Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_zh_hans = models.TextField(_("body (Simplified Chinese, Markdown)"))
    body_zh_hant = models.TextField(_("body (Traditional Chinese, Markdown)"))
    body_en = models.TextField(_("body (English, Markdown)"))
    source = models.CharField(
        _("source document"), max_length=300, blank=True,
        help_text=_("The policy document the answer rests on, e.g. its title and number."),
    )
    effective_from = models.DateField(_("in force from"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    published = models.BooleanField(_("published to talents"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(_("updated"), editable=False)
    history = HistoricalRecords()

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        ordering = ["category", "key"]
        indexes = [models.Index(fields=["published", "effective_from"], name="article_public")]

    def __str__(self) -> str:
        return self.key

    def title(self, script: str) -> str:
        return getattr(self, f"title_{script}")

    def body(self, script: str) -> str:
        return getattr(self, f"body_{script}")

    def is_expired(self, today: date) -> bool:
        return self.expires_on is not None and self.expires_on < today


class ReplyTemplate(models.Model):
    """A ready reply in three scripts; ``{name}`` and ``{reference}`` are filled in."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    category = models.SlugField(_("category"), max_length=40, blank=True)
    title_zh_hans = models.CharField(_("title (Simplified Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_zh_hans = models.TextField(_("text (Simplified Chinese)"))
    body_zh_hant = models.TextField(_("text (Traditional Chinese)"))
    body_en = models.TextField(_("text (English)"))
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active templates are offered on tickets.")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(_("updated"), editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["category", "key"]

    def __str__(self) -> str:
        return self.key

    def title(self, script: str) -> str:
        return self.title_en if script == "en" else self.title_zh_hans

    def body(self, script: str) -> str:
        return getattr(self, f"body_{script}")


class ArticleUse(models.Model):
    """An article or template sent in a public reply on a ticket: what answered it."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="knowledge_uses")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, null=True, blank=True, related_name="uses")
    template = models.ForeignKey(
        ReplyTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="uses"
    )
    event = models.ForeignKey("tickets.TimelineEvent", on_delete=models.CASCADE, related_name="+")
    script = models.CharField(max_length=8, choices=Script.choices)
    used_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    used_at = models.DateTimeField()

    class Meta:
        ordering = ["-used_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False) | Q(template__isnull=False), name="use_names_a_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.article_id or self.template_id}"


class SelfAnswer(models.Model):
    """A talent read an article shown with the guidance suggestion and said it answered
    their question (即问即答): no ticket was needed. What the request was suggested as, in
    which script and on which channel; the talent's own words are not kept."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="self_answers",
                                verbose_name=_("article"))
    suggested_category = models.SlugField(_("first suggestion"), max_length=40, blank=True)
    script = models.CharField(_("script"), max_length=8, choices=Script.choices)
    channel = models.CharField(_("channel"), max_length=10)
    created_at = models.DateTimeField(_("answered"), db_index=True)

    class Meta:
        verbose_name = _("question answered by an article")
        verbose_name_plural = _("questions answered by an article")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.article_id} {self.created_at:%Y-%m-%d %H:%M}"
