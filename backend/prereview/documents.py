"""Open an uploaded file within fixed limits and say what is in it.

``inspect_document`` never raises for a bad file: a corrupt or password-protected PDF, a
decompression bomb, a zero-byte file each come back as an ``Inspection`` with a
``problem`` (a stable code). Limits: the pixels Pillow may decode
(``Image.MAX_IMAGE_PIXELS``), the pages counted and read, the text kept.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass, field

from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

log = logging.getLogger("talentdesk.prereview")

MAX_PIXELS = 40_000_000  # a 600-dpi A4 scan is ~35 MP; a 30,000 × 30,000 image is 900 MP
MAX_PAGES = 50  # a PDF declaring more is refused without walking its page tree
TEXT_PAGES = 5  # pages whose text layer is read
MAX_TEXT = 20_000  # characters of text kept
ANALYSIS_SIDE = 2000  # images are analysed at most this large (longer side)

# Pillow's own guard: past this, Image.open raises instead of decoding.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass
class Inspection:
    kind: str  # "pdf", "jpeg", "png" or "" when not recognised
    problem: str = ""  # empty, or: empty, unknown_kind, corrupt, encrypted, too_many_pages, too_many_pixels
    pages: int = 0
    pixel_size: tuple[int, int] | None = None  # of the image, or of the first page's scan
    image: Image.Image | None = None  # grey, EXIF-rotated, at most ANALYSIS_SIDE
    text: str = ""  # a PDF's text layer
    rotated: bool = False  # EXIF said the photo was taken on its side
    notes: list[str] = field(default_factory=list)


def kind_of(data: bytes) -> str:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return ""


def inspect_document(data: bytes) -> Inspection:
    kind = kind_of(data)
    if not data:
        return Inspection(kind="", problem="empty")
    if not kind:
        return Inspection(kind="", problem="unknown_kind")
    if kind == "pdf":
        return _inspect_pdf(data)
    inspection = Inspection(kind=kind, pages=1)
    try:
        image, size, rotated = open_image(io.BytesIO(data))
    except _TooLarge:
        inspection.problem = "too_many_pixels"
        return inspection
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        log.info("unreadable image: %s", exc)
        inspection.problem = "corrupt"
        return inspection
    inspection.image, inspection.pixel_size, inspection.rotated = image, size, rotated
    return inspection


class _TooLarge(Exception):
    pass


def open_image(stream) -> tuple[Image.Image, tuple[int, int], bool]:
    """Decode an image bounded in pixels: the header is read first and a too large
    image is refused before any pixel is decoded. Returns the grey image upright (EXIF
    orientation applied) and shrunk for analysis, its full size upright, and whether it
    was rotated."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(stream)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _TooLarge() from exc
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise _TooLarge()
        if image.format == "JPEG":
            image.draft("L", (ANALYSIS_SIDE, ANALYSIS_SIDE))  # decode at a reduced scale
        image.load()
    orientation = image.getexif().get(0x0112, 1)
    upright = ImageOps.exif_transpose(image)
    rotated = orientation in (5, 6, 7, 8)
    size = (height, width) if rotated else (width, height)
    grey = upright.convert("L")
    grey.thumbnail((ANALYSIS_SIDE, ANALYSIS_SIDE))
    return grey, size, rotated


def _declared_pages(reader: PdfReader) -> int | None:
    try:
        count = reader.trailer["/Root"].get_object()["/Pages"].get_object().get("/Count")
        return int(count)
    except (KeyError, TypeError, ValueError, AttributeError, PyPdfError):
        return None


def _inspect_pdf(data: bytes) -> Inspection:
    inspection = Inspection(kind="pdf")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (PyPdfError, NotImplementedError, ValueError):
                opened = 0
            if not opened:
                inspection.problem = "encrypted"
                return inspection
        declared = _declared_pages(reader)
        if declared is not None and declared > MAX_PAGES:
            inspection.pages, inspection.problem = declared, "too_many_pages"
            return inspection
        inspection.pages = len(reader.pages)
        if inspection.pages > MAX_PAGES:
            inspection.problem = "too_many_pages"
            return inspection
        if inspection.pages == 0:
            inspection.problem = "corrupt"
            return inspection
        texts = []
        for page in reader.pages[:TEXT_PAGES]:
            texts.append(page.extract_text() or "")
            if sum(map(len, texts)) > MAX_TEXT:
                break
        inspection.text = "\n".join(texts)[:MAX_TEXT]
        _first_page_scan(reader, inspection)
    except (PdfReadError, PyPdfError, OSError, ValueError, KeyError, TypeError,
            AttributeError, RecursionError, AssertionError, IndexError) as exc:
        log.info("unreadable PDF: %s", exc)
        inspection.problem = "corrupt"
    return inspection


def _first_page_scan(reader: PdfReader, inspection: Inspection) -> None:
    """The largest image on the first page (a scan), decoded only when within the limit."""
    resources = reader.pages[0].get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    xobjects = resources.get("/XObject")
    if xobjects is None:
        return
    best = None
    for ref in xobjects.get_object().values():
        obj = ref.get_object()
        if obj.get("/Subtype") != "/Image":
            continue
        width, height = int(obj.get("/Width", 0)), int(obj.get("/Height", 0))
        if width * height > MAX_PIXELS:
            inspection.problem = "too_many_pixels"
            return
        if best is None or width * height > best[0]:
            best = (width * height, obj)
    if best is None:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = best[1].decode_as_image()
    if image is None:
        return
    inspection.pixel_size = image.size
    grey = image.convert("L")
    grey.thumbnail((ANALYSIS_SIDE, ANALYSIS_SIDE))
    inspection.image = grey
