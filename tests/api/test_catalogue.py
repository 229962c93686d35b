"""The API's own messages are all translated into Simplified Chinese."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BACKEND_DIR) / "api" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_api_message_has_a_chinese_translation_and_none_is_fuzzy():
    text = PO.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    entries = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', text, flags=re.M)
    assert len(entries) >= 20
    assert [msgid for msgid, msgstr in entries if not msgstr] == []
    with translation.override("zh-hans"):  # the compiled catalogue says the same
        for msgid, msgstr in entries:
            assert translation.gettext(msgid.replace('\\"', '"')) == msgstr.replace('\\"', '"')
