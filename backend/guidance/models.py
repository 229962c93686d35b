"""Trained models (stored so every process loads the same one) and the choices people made
after a suggestion (what was suggested, what was chosen)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GuidanceModel(models.Model):
    """One trained classifier, pickled. The newest row is the one in force."""

    created_at = models.DateTimeField(_("trained"), auto_now_add=True)
    format = models.PositiveSmallIntegerField()
    corpus_digest = models.CharField(max_length=32)
    corpus_examples = models.PositiveIntegerField()
    ticket_examples = models.PositiveIntegerField()
    last_ticket_id = models.BigIntegerField(default=0)
    categories = models.JSONField(default=list)
    trained_seconds = models.FloatField()
    blob = models.BinaryField()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("guidance model")
        verbose_name_plural = _("guidance models")

    def __str__(self) -> str:
        return f"#{self.pk} ({self.corpus_examples}+{self.ticket_examples} examples)"


class GuidanceChoice(models.Model):
    """A ticket opened after a suggestion: the categories suggested (best first) and the one
    the person chose. ``corrected`` when the choice was not the first suggestion."""

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="guidance_choice",
        verbose_name=_("ticket"),
    )
    suggested = models.JSONField(_("suggested categories"), default=list)
    suggested_category = models.SlugField(_("first suggestion"), max_length=40)
    chosen_category = models.SlugField(_("chosen category"), max_length=40)
    corrected = models.BooleanField(_("corrected"))
    channel = models.CharField(_("channel"), max_length=10)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("guidance choice")
        verbose_name_plural = _("guidance choices")
        indexes = [models.Index(fields=["suggested_category", "chosen_category"], name="guidance_choice_pair")]

    def __str__(self) -> str:
        return f"{self.suggested_category} → {self.chosen_category}"
