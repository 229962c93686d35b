"""The checks a request text passes before the classifier reads it."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from guidance.text import MAX_CHARS, normalise, plain, request_text


@pytest.fixture(autouse=True)
def _english():
    with override("en"):
        yield


def message(error: ValidationError) -> str:
    return error.messages[0]


@pytest.mark.parametrize("text", ["", "   ", "\n\t \u3000 "])
def test_request_text_refuses_empty_and_blank_text(text):
    with pytest.raises(ValidationError) as raised:
        request_text(text)
    assert raised.value.code == "blank"
    assert message(raised.value) == "Describe the request: the text is empty."


def test_request_text_refuses_html_without_text_as_empty():
    with pytest.raises(ValidationError) as raised:
        request_text("<p><br></p><img src=x onerror=alert(1)>")
    assert raised.value.code == "blank"


def test_request_text_refuses_twenty_thousand_characters_naming_the_limit():
    with pytest.raises(ValidationError) as raised:
        request_text("签证" * 10_000)
    assert raised.value.code == "max_length"
    assert message(raised.value) == (
        f"Describe the request in at most {MAX_CHARS} characters (this text has 20000)."
    )


def test_the_messages_are_in_chinese_for_a_chinese_reader():
    with override("zh-hans"):
        with pytest.raises(ValidationError) as raised:
            request_text(" ")
        assert message(raised.value) == "请描述申请事项：内容为空。"


def test_request_text_counts_the_length_after_tags_are_dropped():
    assert request_text("<b>" + "a" * (MAX_CHARS - 1) + "</b>") == "a" * (MAX_CHARS - 1)


@pytest.mark.parametrize("text", ["😀😀🙏", "!!! ??? ...", "123 456", "😀 2026 ✈️"])
def test_request_text_refuses_emoji_symbols_and_digits_alone(text):
    with pytest.raises(ValidationError) as raised:
        request_text(text)
    assert raised.value.code == "no_words"


def test_request_text_refuses_what_is_not_text():
    with pytest.raises(ValidationError) as raised:
        request_text(["签证"])
    assert raised.value.code == "invalid"


def test_request_text_reads_html_as_its_text():
    assert request_text("<p>My <b>visa</b> &amp; residence permit</p>") == "My visa & residence permit"


def test_request_text_keeps_mixed_scripts():
    assert request_text("我的 residence permit 下個月到期 😀") == "我的 residence permit 下個月到期 😀"


def test_normalise_folds_traditional_full_width_and_case():
    assert normalise("想把香港駕照換成內地的 ＡＢＣ") == "想把香港驾照换成内地的 abc"


def test_plain_collapses_spaces_and_decodes_entities():
    assert plain("  a&nbsp;&lt;b&gt;\n\n c ") == "a <b> c"
