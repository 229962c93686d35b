"""Uploaded documents and the result of pre-reviewing each: machine advice, never a decision.

An ``Attachment`` is a file a talent (portal) or a staff member (staff ticket page, API)
uploaded for one material of a ticket, written only by ``prereview.uploads``. Each upload gets one row when it is stored (verdict ``pending``); the worker fills in the
checks. Rows are written by ``prereview.services`` only and never edited afterwards
(a re-run writes a new row), so they need no history of their own.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentType(models.TextChoices):
    """The allow-list of upload types, decided from the file's first bytes."""

    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"


class Attachment(models.Model):
    """A document uploaded for one material of a ticket: by its talent on the portal, or by
    staff (``uploaded_by``) on the ticket page or through the API. The file lives in the
    storage under a generated name; the original name is kept for display only."""

    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="attachments", verbose_name=_("ticket")
    )
    material = models.ForeignKey(
        "tickets.MaterialItem",
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("material"),
    )
    original_name = models.CharField(_("file name"), max_length=120)
    stored_name = models.CharField(max_length=120, unique=True, editable=False)
    content_type = models.CharField(_("type"), max_length=40, choices=ContentType.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    by_talent = models.BooleanField(_("by the talent"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("uploaded by (staff)"),
    )
    created_at = models.DateTimeField(_("uploaded"))

    class Meta:
        db_table = "portal_attachment"  # created by the portal app, which first held it
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="attachment_ticket_created")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.original_name}"


class Verdict(models.TextChoices):
    PENDING = "pending", _("pre-review pending")
    PASS = "pass", _("all checks passed")
    WARN = "warn", _("check by hand")
    FAIL = "fail", _("problems found")


class Review(models.Model):
    attachment = models.ForeignKey(
        "prereview.Attachment", on_delete=models.CASCADE, related_name="reviews", verbose_name=_("file")
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="prereviews", verbose_name=_("ticket")
    )
    material = models.ForeignKey(
        "tickets.MaterialItem", on_delete=models.CASCADE, related_name="prereviews",
        verbose_name=_("material"),
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices,
                               default=Verdict.PENDING)
    # [{"check": "blank", "outcome": "fail", "reason": {"zh": …, "en": …}}, …]
    checks = models.JSONField(_("checks"), default=list, blank=True)
    # Captured from a passport's machine-readable zone; the document number is masked.
    fields = models.JSONField(_("captured fields"), default=dict, blank=True)
    text_source = models.CharField(_("text read from"), max_length=12, blank=True)
    created_at = models.DateTimeField(_("queued"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("pre-review")
        verbose_name_plural = _("pre-reviews")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["material", "-created_at"], name="prereview_material_latest"),
            models.Index(fields=["finished_at", "created_at"], name="prereview_unfinished",
                         condition=models.Q(finished_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.material_id}: {self.verdict}"

    @property
    def problems(self) -> list[dict]:
        """The checks that did not pass, in order (what the talent and officer must see)."""
        return [check for check in self.checks if check.get("outcome") != "pass"]


class Notice(models.Model):
    """A one-time notice (一次性告知): everything still needed from the talent, and why,
    in one message. ``items`` is what was open when it was sent; a later notice lists only
    what is still open then. Written once by ``prereview.notices``; never edited."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="notices", verbose_name=_("ticket")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    # [{"material": "passport", "label": {"zh", "en"}, "status": "rejected",
    #   "reasons": [{"zh", "en"}, …]}, …]
    items = models.JSONField(_("items"))
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("one-time notice")
        verbose_name_plural = _("one-time notices")
        ordering = ["-created_at", "-number"]
        constraints = [models.UniqueConstraint(fields=["ticket", "number"], name="notice_number_unique")]

    def __str__(self) -> str:
        return f"{self.ticket_id} #{self.number}"


class TalentMerge(models.Model):
    """A supervisor merged two records of one person: the record of it (never edited).

    The merged record's own rows stay in the talents' history (its deletion is the last
    row, with the reason); this row keeps what it was and which tickets moved."""

    survivor = models.ForeignKey("talents.Talent", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("kept record"))
    merged_talent_id = models.PositiveBigIntegerField(_("merged record (id)"))
    merged = models.JSONField(_("merged record"))  # names, nationality, type, masked number
    tickets = models.JSONField(_("tickets moved"))  # references
    reason = models.CharField(_("reason"), max_length=300)
    actor = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("merged by"))
    created_at = models.DateTimeField(_("merged"))

    class Meta:
        verbose_name = _("talent merge")
        verbose_name_plural = _("talent merges")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.merged_talent_id} → {self.survivor_id}"
