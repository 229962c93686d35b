import re
import unicodedata
from datetime import timedelta

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import clock
from core.masking import mask_document_number  # noqa: F401 - the field mask, re-exported
from staff.models import Role, role_of
from talents.regions import (
    TRADITIONAL_CHINESE_REGIONS,
    normalise_region_code,
    region_name,
    validate_region_code,
)


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


class Origin(models.TextChoices):
    """Where a talent comes from, as the centre reports it (not the same as nationality:
    a Chinese national may be a returnee from abroad or a talent from elsewhere in China)."""

    HONG_KONG = "hong_kong", _("Hong Kong")
    MACAO = "macao", _("Macao")
    TAIWAN = "taiwan", _("Taiwan")
    FOREIGN = "foreign", _("foreign")
    RETURNEE = "returnee", _("returning Chinese")
    DOMESTIC = "domestic", _("domestic")


def origin_from(nationality: str) -> str:
    """The origin a nationality suggests when nobody said otherwise: HK, MO and TW by
    their codes; a Chinese national at an overseas-talent centre is, by default, a
    returnee (staff correct it to domestic); anyone else is foreign."""
    code = (nationality or "").strip().upper()
    by_code = {"HK": Origin.HONG_KONG, "MO": Origin.MACAO, "TW": Origin.TAIWAN, "CN": Origin.RETURNEE}
    return by_code.get(code, Origin.FOREIGN)


class Language(models.TextChoices):
    ZH = "zh", _("Chinese")
    ZH_HANT = "zh-hant", _("Traditional Chinese")
    EN = "en", _("English")


def spoken_language(code: str) -> str:
    """The language an officer must speak for a talent's language: 'zh' for both scripts."""
    return "zh" if (code or "").startswith("zh") else code


# The talent's language for traditional-Chinese readers, when the product offers one.
TRADITIONAL_CHINESE = "zh-hant"


def language_from(nationality: str) -> str:
    """The language a talent is written to when nobody chose one: Hong Kong, Macao and
    Taiwan residents read traditional Chinese where the product offers it (else
    simplified), Chinese nationals Chinese, everyone else English."""
    code = normalise_region_code(nationality)
    if code in TRADITIONAL_CHINESE_REGIONS:
        return TRADITIONAL_CHINESE if TRADITIONAL_CHINESE in Language.values else Language.ZH
    if code == "CN":
        return Language.ZH
    return Language.EN


# Characters that render as nothing but split a word for search: zero-width space, joiners,
# word joiner, the byte-order mark and the soft hyphen. Directional marks are removed too:
# templates isolate right-to-left names with <bdi> instead.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"))
SUFFIX_LENGTH = 4
PRESENTED_FOR = timedelta(hours=12)


def normalise_name(text: str) -> str:
    """NFC, without invisible characters, trimmed: what is stored and what is searched."""
    return unicodedata.normalize("NFC", (text or "").translate(INVISIBLE)).strip()


def normalise_document_number(text: str) -> str:
    """Upper case without spaces, as stored: ``e 1234 5678`` → ``E12345678``."""
    return re.sub(r"\s+", "", normalise_name(text)).upper()


def mask_phone(phone: str) -> str:
    """Keep the last four digits: ``13800001234`` → ``*******1234``."""
    phone = (phone or "").strip()
    if len(phone) <= 6:
        return "*" * len(phone)
    return "*" * (len(phone) - 4) + phone[-4:]


def mask_email(address: str) -> str:
    """Keep the first character and the domain: ``ada@example.org`` → ``a***@example.org``."""
    address = (address or "").strip()
    local, at, domain = address.rpartition("@")
    if not at or not local:
        return "*" * len(address)
    return f"{local[0]}***@{domain}"


# Which fields a talent's record needs, declared once: the intake form, the API and the
# services ask here. A name (either script) always. A caller with a question gives a phone
# to be called back on; a request about the person's own case (a workflow with
# ``identity_required``) needs the nationality (region) and the document as well.
CALLER_FIELDS = ("phone",)
IDENTITY_FIELDS = ("nationality", "document_type", "document_number")


# What the person is told when one is missing (form, API and services alike).
MISSING_FIELD = {
    "nationality": _("Choose the nationality (region)."),
    "document_type": _("Choose the document type."),
    "document_number": _("Give the document number."),
    "phone": _("Give a phone number to call back on."),
}


def required_fields(*, identity: bool) -> tuple[str, ...]:
    return IDENTITY_FIELDS if identity else CALLER_FIELDS


def missing_fields(values, *, identity: bool) -> list[str]:
    """The required fields (``required_fields``) that ``values`` (a mapping) leaves empty."""
    return [name for name in required_fields(identity=identity) if not str(values.get(name) or "").strip()]


class TalentQuerySet(models.QuerySet):
    def search(self, text: str):
        """Name in either script or phone; a document number only when the text is the
        whole number, or exactly its last four characters.

        Partial document matches are never offered: growing a suffix one character at a
        time would read a masked number back. ``talents.directory.talent_find`` adds the
        scope and records the searches that matched a document number.
        """
        text = normalise_name(text)
        if not text:
            return self.none()
        return self.filter(
            models.Q(native_name__icontains=text)
            | models.Q(latin_name__icontains=text)
            | models.Q(phone__contains=text)
            | self.document_match(text)
        )

    @staticmethod
    def document_match(text: str) -> models.Q:
        """The documents a search text names: the whole number, or its last four."""
        number = normalise_document_number(text)
        if not number:
            return models.Q(pk__in=[])
        query = models.Q(document_number=number)
        if len(number) == SUFFIX_LENGTH:
            query |= models.Q(document_number__endswith=number)
        return query

    def visible_to(self, user):
        """The talent directory of a user: the one definition of talent scope for the
        pages and the API.

        Administrators see every talent; other staff the talents of their centre: those
        registered there (``centre``), whose dedicated officer works there, or who have a
        ticket there. Users without a staff role see none.
        """
        role = role_of(user)
        if role == Role.ADMIN:
            return self
        if role is None:
            return self.none()
        centre_id = user.officer.centre_id
        ticket_model = apps.get_model("tickets", "Ticket")
        served_here = ticket_model.objects.filter(talent=models.OuterRef("pk"), centre_id=centre_id)
        # A walk-in from another centre shows their document; whoever found them by its
        # whole number may serve them for the rest of the day (the search is logged).
        presented = SensitiveAccess.objects.filter(
            talent=models.OuterRef("pk"), user=user, kind=AccessKind.DOCUMENT_SEARCH,
            created_at__gte=clock.now() - PRESENTED_FOR,
        )
        return self.filter(
            models.Q(centre_id=centre_id)
            | models.Q(dedicated_officer__centre_id=centre_id)
            | models.Exists(served_here)
            | models.Exists(presented)
        )


class Talent(models.Model):
    """A person served by the centre. The document number is sensitive: use ``masked_document``."""

    native_name = models.CharField(_("name (native script)"), max_length=120, blank=True)
    latin_name = models.CharField(_("name (Latin script)"), max_length=120, blank=True)
    # Blank only for a caller's record (name and phone): see ``required_fields``.
    nationality = models.CharField(
        _("nationality (region)"), max_length=2, blank=True, validators=[validate_region_code],
        help_text=_("ISO 3166-1 alpha-2 code of the country or region: e.g. GB; HK, MO and TW "
                    "for 中国香港, 中国澳门 and 中国台湾 (Hong Kong, Macao and Taiwan, China)."),
    )
    document_type = models.CharField(
        _("document type"), max_length=24, choices=DocumentType.choices, blank=True
    )
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    # Personal data like the document: in full on the talent's own page and answer only,
    # the year alone in lists (``masked_birth_date``). Optional; with the name and the
    # nationality it finds duplicate records (``prereview.merge``).
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.ZH
    )
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, blank=True,
        help_text=_("Hong Kong, Macao, Taiwan, foreign, returning Chinese or domestic; "
                    "left empty, it follows from the nationality."),
    )
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, default=Tier.OTHER)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    key_industry = models.CharField(_("key industry"), max_length=120, blank=True)
    centre = models.ForeignKey(
        "centres.ServiceCentre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talents",
        verbose_name=_("home centre"),
        help_text=_("Where the talent was registered; its staff keep the contact details."),
    )
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
                fields=["document_type", "document_number"], name="talent_document_unique",
                condition=~models.Q(document_number=""),
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
    def nationality_name(self) -> str:
        """The country or region, named in the active language (中国香港, United Kingdom)."""
        return region_name(self.nationality)

    @property
    def has_identity(self) -> bool:
        """Nationality (region) and document on record (not only a caller's name and phone)."""
        return not missing_fields(
            {name: getattr(self, name) for name in IDENTITY_FIELDS}, identity=True)

    @property
    def masked_document(self) -> str:
        return mask_document_number(self.document_number)

    @property
    def masked_birth_date(self) -> str:
        """The year only (1985-**-**); empty when no birth date is recorded."""
        return f"{self.birth_date:%Y}-**-**" if self.birth_date else ""

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_email(self) -> str:
        return mask_email(self.email)

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


class AccessKind(models.TextChoices):
    REVEAL = "reveal", _("document number revealed")
    DOWNLOAD = "download", _("attachment downloaded")
    DOCUMENT_SEARCH = "document_search", _("found by document number")


class SensitiveAccessQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Supervisors see the accesses by their centre's staff and to their centre's
        tickets; administrators all; everybody else nothing."""
        role = role_of(user)
        if role == Role.ADMIN:
            return self
        if role != Role.SUPERVISOR:
            return self.none()
        centre_id = user.officer.centre_id
        return self.filter(models.Q(centre_id=centre_id) | models.Q(ticket__centre_id=centre_id))


class SensitiveAccess(models.Model):
    """One look at sensitive data: a reveal, an attachment download, or a search that found
    a talent by document number. Written by the services, only read by the product."""

    kind = models.CharField(_("kind"), max_length=20, choices=AccessKind.choices)
    user = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("by"))
    centre = models.ForeignKey(
        "centres.ServiceCentre", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("centre of the user"),
    )
    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="accesses",
                               verbose_name=_("talent"))
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("ticket"),
    )
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("when"), db_index=True)

    objects = SensitiveAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("sensitive access")
        verbose_name_plural = _("sensitive accesses")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.user} → {self.talent_id}"
