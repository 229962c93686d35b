"""Every message of the hall app has a Simplified Chinese translation, none fuzzy."""

import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BACKEND_DIR) / "hall" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_hall_message_is_translated_and_none_is_fuzzy():
    text = PO.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    entries = re.findall(r'\nmsgid ((?:".*"\n)+)(?:msgid_plural .*\n)?msgstr(?:\[0\])? ((?:".*"\n?)+)', text)
    assert len(entries) >= 150
    assert [m for m, s in entries if s.strip() == '""'] == []
