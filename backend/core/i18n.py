"""Helpers for bilingual (zh/en) values stored side by side, and their traditional
reading: a zh value is stored in simplified characters once and shown to zh-Hant readers
(the portal and the talent's messages in 繁體) through OpenCC's Hong Kong conversion."""

from functools import lru_cache

from django.utils.translation import get_language

TRADITIONAL = "zh-hant"


def current_lang() -> str:
    """'zh' or 'en' for the active Django language."""
    return "en" if (get_language() or "").startswith("en") else "zh"


def traditional_active() -> bool:
    """Whether the active language is Traditional Chinese (zh-Hant)."""
    return (get_language() or "").lower().startswith(TRADITIONAL)


@lru_cache(maxsize=1)
def _converter():
    import opencc  # loaded once, only where traditional text is asked for

    return opencc.OpenCC("s2hk")


@lru_cache(maxsize=4096)
def to_traditional(text: str) -> str:
    """Simplified → traditional characters as written in Hong Kong (labels, names of
    services and states; not free text a person typed, which is shown as typed)."""
    return _converter().convert(text) if text else text


def pick(zh: str, en: str, lang: str | None = None) -> str:
    """The value for ``lang`` ('zh', 'zh-hant' or 'en'; the active language by default)."""
    if lang is None and traditional_active():
        lang = TRADITIONAL
    lang = lang or current_lang()
    if lang == "en":
        return en or zh
    value = zh or en
    return to_traditional(value) if lang == TRADITIONAL and zh else value
