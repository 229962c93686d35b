"""One-time SMS codes that prove a phone number (online applications).

    phone_code_send(phone="+852 9123 4567", address=ip, language="zh-hant")
    phone_code_verify(phone="+852 9123 4567", code="123456", address=ip)  # True once

Six digits, valid ``TALENTDESK_PHONE_CODE_TTL`` seconds, kept only as a keyed HMAC, used
once, ended after ``TALENTDESK_PHONE_CODE_ATTEMPTS`` wrong tries. Sending is limited per
phone and per client address, wrong codes per client address (``core.ratelimit``, the
settings' ``TALENTDESK_PORTAL_LIMITS``). The SMS goes through the notifications outbox
(console backend in development) in the page's language. The answer is the same whether
or not a talent has the phone on record: every phone that asks gets a code.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from core import clock
from core.ratelimit import Limit, configured
from notifications.models import Channel
from notifications.outbox import outbox_add
from portal.models import PhoneCode

CODE_DIGITS = 6
_SALT = "talentdesk.portal.phone-code"
_PHONE = re.compile(r"^\+?[0-9]{6,15}$")
MESSAGE_LANGUAGES = ("zh-hans", "zh-hant", "en")


class TooManyCodes(Exception):
    """A limit is reached: ``wait`` seconds until the next try."""

    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.wait = wait


def normalise_phone(phone: str) -> str:
    """``+852 9123-4567`` → ``+85291234567``; ``ValidationError`` on the ``phone`` field
    for anything that is not 6–15 digits with an optional leading +."""
    cleaned = re.sub(r"[\s\-().]", "", phone or "")
    if not _PHONE.match(cleaned):
        raise ValidationError({"phone": [_("Enter a mobile number of 6 to 15 digits, e.g. +852 9123 4567.")]})
    return cleaned


def phone_variants(phone: str) -> list[str]:
    """How a normalised number may be stored on a talent (with or without the +)."""
    return list(dict.fromkeys([phone, phone.lstrip("+")]))


def _hash(nonce: str, code: str) -> str:
    return salted_hmac(_SALT, f"{nonce}:{code}", algorithm="sha256").hexdigest()


def per_phone() -> Limit:
    return configured("TALENTDESK_PORTAL_LIMITS", "code-phone")


def per_address() -> Limit:
    return configured("TALENTDESK_PORTAL_LIMITS", "code-address")


def wrong_per_address() -> Limit:
    return configured("TALENTDESK_PORTAL_LIMITS", "code-wrong")


def _message_language(language: str) -> str:
    code = (language or "").lower()
    if code.startswith("en"):
        return "en"
    return "zh-hant" if code.startswith("zh-hant") else "zh-hans"


def sms_text(code: str, *, language: str) -> str:
    minutes = settings.TALENTDESK_PHONE_CODE_TTL // 60
    with translation.override(_message_language(language)):
        return _("[Talent Service Centre] Your code is %(code)s. It is valid for %(minutes)d minutes. "
                 "Do not share it with anyone.") % {"code": code, "minutes": minutes}


@transaction.atomic
def phone_code_send(*, phone: str, address: str, language: str) -> PhoneCode:
    """Send a fresh code to ``phone`` and end the earlier ones.

    Raises ``ValidationError`` (``phone``) for a malformed number and ``TooManyCodes``
    when the phone or the address asked too often; both before anything is written.
    Side effects: a ``PhoneCode`` row and an SMS outbox row (sent after commit)."""
    phone = normalise_phone(phone)
    waits = [per_phone().blocked(phone), per_address().blocked(address)]
    if wait := max((w for w in waits if w), default=None):
        raise TooManyCodes(wait)
    per_phone().fail(phone)
    per_address().fail(address)
    now = clock.now()
    PhoneCode.objects.filter(phone=phone, used_at__isnull=True).update(used_at=now)
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    nonce = secrets.token_hex(16)
    row = PhoneCode.objects.create(
        phone=phone, nonce=nonce, code_hash=_hash(nonce, code), created_at=now,
        expires_at=now + timedelta(seconds=settings.TALENTDESK_PHONE_CODE_TTL), address=address[:64],
    )
    outbox_add(event="phone_code", channel=Channel.SMS, to=phone, body=sms_text(code, language=language),
               language=_message_language(language), dedupe_key=f"phone-code:{row.pk}")
    return row


@transaction.atomic
def phone_code_verify(*, phone: str, code: str, address: str) -> bool:
    """Whether ``code`` is the live code of ``phone``; a right code is used up.

    A wrong code counts against the code (ended after the allowed tries) and against the
    client address (``TooManyCodes`` once it is blocked, checked before the code). A
    malformed phone raises ``ValidationError`` (``phone``); a malformed code is wrong."""
    phone = normalise_phone(phone)
    if wait := wrong_per_address().blocked(address):
        raise TooManyCodes(wait)
    now = clock.now()
    row = (PhoneCode.objects.select_for_update()
           .filter(phone=phone, used_at__isnull=True, expires_at__gt=now).order_by("-created_at", "-id").first())
    typed = re.sub(r"\s", "", code or "")
    if row is not None and typed.isdigit() and constant_time_compare(_hash(row.nonce, typed), row.code_hash):
        row.used_at = now
        row.save(update_fields=["used_at"])
        per_phone().reset(phone)
        return True
    wrong_per_address().fail(address)
    if row is not None:
        row.attempts += 1
        if row.attempts >= settings.TALENTDESK_PHONE_CODE_ATTEMPTS:
            row.used_at = now
        row.save(update_fields=["attempts", "used_at"])
    return False
