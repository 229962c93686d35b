"""What talents leave on their tickets through the portal: ratings, and the failed status
checks kept for the security review. Uploaded documents (``prereview.models.Attachment``)
are one upload path for the portal, the staff pages and the API (``prereview.uploads``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RatingQuerySet(models.QuerySet):
    def needing_follow_up(self):
        """Low ratings the supervisor has not yet followed up."""
        return self.filter(follow_up=True, follow_up_done_at__isnull=True)

    def for_centre_of(self, user):
        """Ratings of tickets the user may see (the staff scope rule)."""
        from tickets.models import Ticket

        return self.filter(ticket__in=Ticket.objects.visible_to(user))


class Rating(models.Model):
    """The talent's rating of the service on a ticket: once, after resolution.

    A score of 1 or 2 opens a follow-up for the centre's supervisor (``follow_up``), closed
    by the supervisor with a note.
    """

    LOW = 2
    # The government service-rating scale (政务服务“好差评”): the words for each score.
    SCALE = {5: _("Very satisfied"), 4: _("Satisfied"), 3: _("Basically satisfied"),
             2: _("Dissatisfied"), 1: _("Very dissatisfied")}

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="rating", verbose_name=_("ticket")
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated"))
    follow_up = models.BooleanField(_("follow-up needed"), default=False, editable=False)
    follow_up_done_at = models.DateTimeField(_("followed up"), null=True, blank=True, editable=False)
    follow_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("followed up by"),
        editable=False,
    )
    follow_up_note = models.TextField(_("follow-up note"), blank=True, editable=False)
    history = HistoricalRecords()

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            )
        ]
        indexes = [
            models.Index(fields=["follow_up", "follow_up_done_at"], name="rating_follow_up"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.score}"

    @property
    def score_label(self) -> str:
        return str(self.SCALE.get(self.score, self.score))


class FailedCheckReason(models.TextChoices):
    WRONG_CODE = "wrong_code", _("unknown reference or wrong access code")


class FailedStatusCheck(models.Model):
    """One failed status check on the portal (a reference with a wrong code, or one that
    does not exist), kept for the centre's security review: guessing shows up as many rows
    from one address or for one reference. Written by ``portal.failures``; the rate limits
    bound how many rows one client can cause (blocked attempts are refused unrecorded)."""

    created_at = models.DateTimeField(_("when"), db_index=True)
    reason = models.CharField(_("reason"), max_length=12, choices=FailedCheckReason.choices)
    reference = models.CharField(_("reference typed"), max_length=30, blank=True, db_index=True)
    address = models.CharField(_("client address"), max_length=64)

    class Meta:
        verbose_name = _("failed status check")
        verbose_name_plural = _("failed status checks")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.reason} {self.reference or '-'} {self.address}"


class PhoneCode(models.Model):
    """A one-time code sent by SMS to prove a phone number (online applications).

    Only an HMAC of the code is kept (keyed with the secret key, salted with the row's
    own nonce); a code is good for ``TALENTDESK_PHONE_CODE_TTL`` seconds, once, and for a
    few wrong tries. Written only by ``portal.phone_codes``; sending a new code to the
    same phone ends the earlier ones."""

    phone = models.CharField(_("phone"), max_length=32, db_index=True)
    nonce = models.CharField(max_length=32, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("valid until"))
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used or ended"), null=True, blank=True)
    address = models.CharField(_("client address"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-2:]} {self.created_at:%Y-%m-%d %H:%M}"
