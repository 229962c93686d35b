"""Talents' uploads: the type decided by content, the size bounded while receiving, the
file saved under a generated name through Django's storage API (``default_storage``:
``settings.UPLOAD_ROOT`` on the file system by default, any ``STORAGES["default"]``).

The file name a browser sends is only ever displayed (cleaned); it never touches a path.
"""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from core import clock
from portal.models import ContentType

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", ContentType.PDF),
    (b"\xff\xd8\xff", ContentType.JPEG),
    (b"\x89PNG\r\n\x1a\n", ContentType.PNG),
)
EXTENSIONS = {ContentType.PDF: ".pdf", ContentType.JPEG: ".jpg", ContentType.PNG: ".png"}
ALLOWED_EXTENSIONS = {
    ContentType.PDF: {".pdf"},
    ContentType.JPEG: {".jpg", ".jpeg", ".jpe", ".jfif"},
    ContentType.PNG: {".png"},
}
MAX_NAME = 120


def max_bytes() -> int:
    return settings.TALENTDESK_UPLOAD_MAX_BYTES


def max_per_ticket() -> int:
    return settings.TALENTDESK_UPLOAD_MAX_PER_TICKET


def sniff(head: bytes) -> str | None:
    """The allowed content type whose magic bytes open the file; None for anything else."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return str(content_type)
    return None


def clean_name(name: str | None) -> str:
    """A display name: the last path component, no control characters, bounded length.

    ``../../etc/passwd`` → ``passwd``; ``C:\\x\\scan.pdf`` → ``scan.pdf``.
    """
    text = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/")
    text = PurePosixPath(text).name
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip(" .")
    if not text:
        return "document"
    if len(text) > MAX_NAME:
        stem, dot, ext = text.rpartition(".")
        text = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else text[:MAX_NAME]
    return text


def display_name(name: str | None, content_type: str) -> str:
    """The cleaned name, its extension made to match the checked type (``page.html`` of a
    PDF becomes ``page.pdf``), so a downloaded file never opens as something else."""
    cleaned = clean_name(name)
    stem, dot, ext = cleaned.rpartition(".")
    if dot and stem and f".{ext.lower()}" in ALLOWED_EXTENSIONS[content_type]:
        return cleaned
    base = stem if dot and stem else cleaned
    return base[: MAX_NAME - 4] + EXTENSIONS[content_type]


@dataclass(frozen=True)
class StoredFile:
    stored_name: str  # the name in the storage (``default_storage``)
    content_type: str
    size: int
    sha256: str


def store(upload, *, content_type: str) -> StoredFile:
    """Save the upload through Django's storage API (``STORAGES["default"]``) under a
    generated name (``portal/2026/05/<uuid>.pdf``); the storage never overwrites, and the
    name it answers is the one kept."""
    today = clock.now()
    name = f"portal/{today:%Y}/{today:%m}/{uuid.uuid4().hex}{EXTENSIONS[content_type]}"
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    saved = default_storage.save(name, File(upload, name=name))
    return StoredFile(stored_name=saved, content_type=content_type, size=size, sha256=digest.hexdigest())


def discard(stored: StoredFile) -> None:
    default_storage.delete(stored.stored_name)


def open_stored(stored_name: str):
    """The stored file opened for reading; ``FileNotFoundError`` when it is gone."""
    if not default_storage.exists(stored_name):
        raise FileNotFoundError(stored_name)
    return default_storage.open(stored_name, "rb")


class LimitedUploadHandler(FileUploadHandler):
    """Stops receiving a file once it passes the size limit, so an oversize upload never
    fills the disk; the view learns it from ``request.portal_upload_too_large``."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.limit = max_bytes()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.portal_upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
