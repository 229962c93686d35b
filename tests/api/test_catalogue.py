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
    # The compiled catalogues translate each of them (a message shared with another app may
    # come from that app's catalogue, which Django merges with ours).
    with translation.override("zh-hans"):
        untranslated = [m for m, _ in entries if translation.gettext(m.replace('\\"', '"')) == m]
    assert untranslated == []
