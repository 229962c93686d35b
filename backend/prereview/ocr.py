"""Tesseract through pytesseract, bounded in time; absent Tesseract is an answer, not an error."""

from __future__ import annotations

import logging
import shutil
from functools import cache

from PIL import Image

log = logging.getLogger("talentdesk.prereview")

OCR_SECONDS = 30  # per page read; the task has its own overall limit
OCR_SIDE = 1800  # longer side fed to Tesseract
MRZ_CONFIG = "--psm 6 -c tessedit_char_whitelist=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"


class OcrUnavailable(Exception):
    """Tesseract (or a language it needs) is not installed, or it did not finish in time."""


@cache
def installed_languages() -> frozenset[str]:
    if shutil.which("tesseract") is None:
        return frozenset()
    try:
        import pytesseract

        return frozenset(pytesseract.get_languages(config=""))
    except Exception as exc:  # noqa: BLE001 - any failure means "cannot OCR here"
        log.warning("tesseract unusable: %s", exc)
        return frozenset()


def available(languages: tuple[str, ...] = ("eng",)) -> bool:
    return set(languages) <= installed_languages()


def read_text(image: Image.Image, *, languages: tuple[str, ...], config: str = "",
              seconds: float = OCR_SECONDS) -> str:
    if not available(languages):
        raise OcrUnavailable("+".join(languages))
    import pytesseract

    image = image.copy()
    image.thumbnail((OCR_SIDE, OCR_SIDE))
    try:
        return pytesseract.image_to_string(image, lang="+".join(languages), config=config,
                                           timeout=seconds)
    except RuntimeError as exc:  # pytesseract's timeout
        raise OcrUnavailable(str(exc)) from exc
    except pytesseract.TesseractError as exc:
        raise OcrUnavailable(str(exc)) from exc


def read_mrz(image: Image.Image, *, seconds: float = OCR_SECONDS) -> str:
    """The bottom third of a data page, read with the MRZ alphabet only."""
    width, height = image.size
    strip = image.crop((0, height * 2 // 3, width, height))
    return read_text(strip, languages=("eng",), config=MRZ_CONFIG, seconds=seconds)
