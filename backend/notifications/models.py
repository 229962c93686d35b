"""The outbox of messages to send, and the in-app notices staff read.

An ``OutboxMessage`` is written in the same transaction as the event that causes it, so a
message exists exactly when its event does. Its ``status`` is the only truth about
delivery: a task moves it pending → sending → sent (or back to pending with a later
``next_attempt_at``, or to failed after the last attempt); the sweeper re-queues rows a
dead broker or a dead worker left behind. These rows are delivery bookkeeping, not
audit of the ticket (the ticket's timeline and history are), so they are not
history-tracked and may be updated in place.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")


class Status(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    EXPIRED = "expired", _("expired")


OPEN_STATUSES = (Status.PENDING, Status.SENDING)


class OutboxMessage(models.Model):
    event = models.SlugField(_("event"), max_length=40)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    to = models.CharField(_("to"), max_length=254)
    language = models.CharField(_("language"), max_length=8, default="zh")
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    body = models.TextField(_("text"))
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, null=True, blank=True,
        related_name="outbox_messages", verbose_name=_("ticket"),
    )
    talent = models.ForeignKey(
        "talents.Talent", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("talent"),
    )
    officer = models.ForeignKey(
        "staff.Officer", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("officer"),
    )
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True, editable=False)

    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweeper: open rows by the time they are due (a small partial index).
            models.Index(
                fields=["next_attempt_at"], name="outbox_open_due",
                condition=models.Q(status__in=["pending", "sending"]),
            ),
            models.Index(fields=["ticket", "created_at"], name="outbox_ticket_created"),
            models.Index(fields=["status", "created_at"], name="outbox_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.channel} → {self.to} ({self.status})"


class NoticeKind(models.TextChoices):
    SLA_WARNING = "sla_warning", _("deadline approaching")
    SLA_BREACH = "sla_breach", _("deadline missed")
    QUEUED = "queued", _("waiting in the queue")
    HANDED_OVER = "handed_over", _("handed over to you")
    TALENT_ACTED = "talent_acted", _("the talent answered")
    DELIVERY_FAILED = "delivery_failed", _("message not delivered")
    LOW_RATING = "low_rating", _("low rating to follow up")
    SIGNIN_LOCKED = "signin_locked", _("sign-in locked")
    OPENED_FOR_SUPERVISORS = "opened_watch", _("new ticket the supervisors watch")
    DUPLICATE_TALENT = "duplicate_talent", _("possible duplicate talent records")


class Notice(models.Model):
    """An in-app notice for one staff member; its text is rendered in the reader's language."""

    recipient = models.ForeignKey(
        "staff.Officer", on_delete=models.CASCADE, related_name="notices",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("ticket"),
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "created_at"], name="notice_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind}"

    @property
    def text(self) -> str:
        from notifications.notices import notice_text

        return notice_text(self)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
