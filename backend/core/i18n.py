"""Helpers for bilingual (zh/en) values stored side by side."""

from django.utils.translation import get_language


def current_lang() -> str:
    """'zh' or 'en' for the active Django language."""
    return "en" if (get_language() or "").startswith("en") else "zh"


def pick(zh: str, en: str, lang: str | None = None) -> str:
    lang = lang or current_lang()
    return (en or zh) if lang == "en" else (zh or en)
