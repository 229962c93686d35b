from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("passport")
    PERMANENT_RESIDENCE = "permanent_residence", _("foreign permanent resident ID card")
    HK_MACAU_PERMIT = "hk_macau_permit", _("mainland travel permit for Hong Kong and Macao")
    TAIWAN_PERMIT = "taiwan_permit", _("mainland travel permit for Taiwan residents")
    RESIDENT_ID = "resident_id", _("resident identity card")


class Tier(models.TextChoices):
    LEADING = "leading", _("leading talent")
    A = "A", _("tier A")
    B = "B", _("tier B")
    C = "C", _("tier C")
    OTHER = "other", _("other")


class Language(models.TextChoices):
    ZH = "zh", _("Chinese")
    EN = "en", _("English")


def mask_document_number(number: str) -> str:
    """Keep the first two and last two characters: ``E12345678`` → ``E1****78``.

    Short numbers are masked entirely so a mask never reveals most of a number.
    """
    number = (number or "").strip()
    if len(number) <= 4:
        return "*" * len(number)
    return f"{number[:2]}****{number[-2:]}"


class TalentQuerySet(models.QuerySet):
    def search(self, text: str):
        """Name in either script, phone, or the last digits of the document number."""
        text = (text or "").strip()
        if not text:
            return self.none()
        query = (
            models.Q(native_name__icontains=text)
            | models.Q(latin_name__icontains=text)
            | models.Q(phone__contains=text)
        )
        if len(text) >= 3:
            query |= models.Q(document_number__iendswith=text)
        return self.filter(query)


class Talent(models.Model):
    """A person served by the centre. The document number is sensitive: use ``masked_document``."""

    native_name = models.CharField(_("name (native script)"), max_length=120, blank=True)
    latin_name = models.CharField(_("name (Latin script)"), max_length=120, blank=True)
    nationality = models.CharField(
        _("nationality"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. GB.")
    )
    document_type = models.CharField(
        _("document type"), max_length=24, choices=DocumentType.choices
    )
    document_number = models.CharField(_("document number"), max_length=40)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ZH
    )
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, default=Tier.OTHER)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    key_industry = models.CharField(_("key industry"), max_length=120, blank=True)
    dedicated_officer = models.ForeignKey(
        "staff.Officer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dedicated_talents",
        verbose_name=_("dedicated officer"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = TalentQuerySet.as_manager()

    class Meta:
        verbose_name = _("talent")
        verbose_name_plural = _("talents")
        ordering = ["latin_name", "native_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "document_number"], name="talent_document_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(native_name="", latin_name=""), name="talent_has_a_name"
            ),
        ]
        indexes = [models.Index(fields=["phone"], name="talent_phone")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.native_name and self.latin_name and self.native_name != self.latin_name:
            return f"{self.native_name} ({self.latin_name})"
        return self.native_name or self.latin_name

    @property
    def masked_document(self) -> str:
        return mask_document_number(self.document_number)

    @property
    def is_leading(self) -> bool:
        return self.tier == Tier.LEADING


class DocumentReveal(models.Model):
    """Someone saw a full document number: who, when, why, on which ticket."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="reveals")
    user = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("revealed at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document number reveal")
        verbose_name_plural = _("document number reveals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} → {self.talent_id} at {self.created_at:%Y-%m-%d %H:%M}"
