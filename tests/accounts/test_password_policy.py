"""Password policy: 12 to 128 characters, no composition rules."""

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _errors(password):
    with translation.override("en"):
        try:
            validate_password(password, UserFactory(username="wang.li"))
        except ValidationError as error:
            return error.messages
    return []


def test_eleven_characters_are_refused_as_too_short():
    assert _errors("qzmvtrwplxk") == [
        "This password is too short. It must contain at least 12 characters."]


def test_twelve_characters_of_lower_case_letters_only_are_accepted():
    assert _errors("qzmvtrwplxkb") == []


def test_a_passphrase_of_exactly_128_characters_is_accepted():
    assert _errors(("river lantern " * 10)[:128]) == []


def test_129_characters_are_refused_as_too_long():
    assert _errors("r" * 60 + "x" * 69) == [
        "This password is too long. It must contain at most 128 characters."]


def test_a_thousand_characters_are_refused_by_the_admin_password_form():
    user = UserFactory(username="zhang.wei")
    with translation.override("en"):
        form = AdminPasswordChangeForm(user, {"password1": "k" * 1000, "password2": "k" * 1000})
        assert not form.is_valid()
        assert form.errors["password2"] == [
            "This password is too long. It must contain at most 128 characters."]


def test_the_too_long_message_is_in_chinese_for_a_chinese_reader():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_password("p" * 129)
    assert caught.value.messages == ["密码太长，最多 128 个字符。"]
