"""One-time SMS codes: six digits, kept as a hash, valid ten minutes, used once, a few
tries, limited per phone and per client address, sent through the outbox in the page's
language."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from notifications.models import OutboxMessage
from portal import phone_codes
from portal.models import PhoneCode
from portal.phone_codes import TooManyCodes, phone_code_send, phone_code_verify

pytestmark = pytest.mark.django_db

PHONE = "+852 9123 4567"
ADDRESS = "203.0.113.5"


def sent_code(phone="+85291234567") -> str:
    message = OutboxMessage.objects.filter(event="phone_code", to=phone).order_by("-id").first()
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def test_a_code_is_six_digits_sent_by_sms_and_stored_only_as_a_hash():
    row = phone_code_send(phone=PHONE, address=ADDRESS, language="en")
    code = sent_code()
    message = OutboxMessage.objects.get(event="phone_code")
    assert message.channel == "sms" and message.to == "+85291234567"
    assert message.body == (f"[Talent Service Centre] Your code is {code}. It is valid for 10 minutes. "
                            "Do not share it with anyone.")
    assert len(code) == 6 and code.isdigit()
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert row.phone == "+85291234567"


@pytest.mark.parametrize(("language", "expected"), [
    ("zh-hans", "【人才服务中心】您的验证码是"),
    ("zh-hant", "【人才服務中心】您的驗證碼是"),
])
def test_the_sms_is_in_the_page_language(language, expected):
    phone_code_send(phone=PHONE, address=ADDRESS, language=language)
    body = OutboxMessage.objects.get(event="phone_code").body
    assert body.startswith(expected)
    assert OutboxMessage.objects.get(event="phone_code").language == language


def test_the_right_code_proves_the_phone_once():
    phone_code_send(phone=PHONE, address=ADDRESS, language="en")
    code = sent_code()
    assert phone_code_verify(phone="+85291234567", code=code, address=ADDRESS) is True
    assert phone_code_verify(phone=PHONE, code=code, address=ADDRESS) is False


@pytest.mark.clock
def test_a_code_expires_after_ten_minutes(clock_travel):
    phone_code_send(phone=PHONE, address=ADDRESS, language="en")
    code = sent_code()
    clock_travel.shift(timedelta(minutes=10, seconds=1))
    assert phone_code_verify(phone=PHONE, code=code, address=ADDRESS) is False


def test_a_code_ends_after_five_wrong_tries():
    phone_code_send(phone=PHONE, address=ADDRESS, language="en")
    code = sent_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert phone_code_verify(phone=PHONE, code=wrong, address=ADDRESS) is False
    assert phone_code_verify(phone=PHONE, code=code, address=ADDRESS) is False
    assert PhoneCode.objects.get().attempts == 5


def test_a_new_code_ends_the_earlier_one():
    phone_code_send(phone=PHONE, address=ADDRESS, language="en")
    first = sent_code()
    phone_code_send(phone=PHONE, address=ADDRESS, language="en")
    second = sent_code()
    if first != second:
        assert phone_code_verify(phone=PHONE, code=first, address=ADDRESS) is False
    assert phone_code_verify(phone=PHONE, code=second, address=ADDRESS) is True


def test_sending_is_limited_per_phone(settings):
    settings.TALENTDESK_PORTAL_LIMITS = {**settings.TALENTDESK_PORTAL_LIMITS, "code-phone": (3, 3600, 3600)}
    for number in range(3):
        phone_code_send(phone=PHONE, address=f"198.51.100.{number}", language="en")
    with pytest.raises(TooManyCodes) as limit:
        phone_code_send(phone=PHONE, address="198.51.100.9", language="en")
    assert 3500 < limit.value.wait <= 3600
    assert PhoneCode.objects.count() == 3


def test_sending_is_limited_per_client_address(settings):
    settings.TALENTDESK_PORTAL_LIMITS = {**settings.TALENTDESK_PORTAL_LIMITS, "code-address": (2, 3600, 3600)}
    phone_code_send(phone="+85291230001", address=ADDRESS, language="en")
    phone_code_send(phone="+85291230002", address=ADDRESS, language="en")
    with pytest.raises(TooManyCodes):
        phone_code_send(phone="+85291230003", address=ADDRESS, language="en")


def test_wrong_codes_are_limited_per_client_address(settings):
    settings.TALENTDESK_PORTAL_LIMITS = {**settings.TALENTDESK_PORTAL_LIMITS, "code-wrong": (3, 900, 900)}
    phone_code_send(phone=PHONE, address=ADDRESS, language="en")
    code = sent_code()
    for _ in range(3):
        phone_code_verify(phone=PHONE, code="12345x", address=ADDRESS)
    with pytest.raises(TooManyCodes):
        phone_code_verify(phone=PHONE, code=code, address=ADDRESS)


@pytest.mark.parametrize("phone", ["", "12345", "abc1234567", "+1234567890123456", "+85 2<script>"])
def test_a_malformed_phone_is_refused_naming_the_field(phone):
    with pytest.raises(ValidationError) as error:
        phone_code_send(phone=phone, address=ADDRESS, language="en")
    assert list(error.value.message_dict) == ["phone"]
    assert not PhoneCode.objects.exists()


@pytest.mark.parametrize("code", ["", "abcdef", "1234567", None, "１２３４５６"])
def test_a_malformed_code_is_just_wrong(code):
    phone_code_send(phone=PHONE, address=ADDRESS, language="en")
    assert phone_code_verify(phone=PHONE, code=code, address=ADDRESS) is False


def test_a_phone_with_no_code_is_wrong_not_an_error():
    assert phone_code_verify(phone=PHONE, code="123456", address=ADDRESS) is False


def test_phone_variants_cover_the_stored_forms():
    assert phone_codes.phone_variants("+85291234567") == ["+85291234567", "85291234567"]
