"""Uploads of documents for a ticket's materials — the one path for the portal (the
talent), the staff ticket page and the API (staff): ``attachment_upload``.

The type is decided by content, the size bounded while receiving (``LimitedUploadHandler``)
and again by the service, the count per ticket bounded; the limits are settings
(``TALENTDESK_UPLOAD_MAX_BYTES``, ``TALENTDESK_UPLOAD_MAX_PER_TICKET``) read only here.
The file is saved under a generated name through Django's storage API (``default_storage``:
``settings.UPLOAD_ROOT`` on the file system by default, any ``STORAGES["default"]``), and
every upload is pre-reviewed by the worker after commit (``prereview_queue``).

The file name a browser sends is only ever displayed (cleaned); it never touches a path.
"""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionForbidden
from prereview.models import Attachment, ContentType
from prereview.services import prereview_queue
from staff.permissions import is_staff_member
from talents.models import Talent
from tickets.models import EventKind, MaterialItem, MaterialStatus, Ticket
from tickets.services import material_update, ticket_log

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


def too_large_message() -> str:
    return _("The file is larger than %(mb)d MB.") % {"mb": max_bytes() // (1024 * 1024)}


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
    fills the disk; the view learns it from ``request.upload_too_large``. Each face that
    takes files puts it first in ``request.upload_handlers`` before reading the body."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.limit = max_bytes()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


# --- the upload service ----------------------------------------------------------------------


def talent_may_write(ticket: Ticket) -> bool:
    """A talent's replies and uploads are open until the ticket is resolved or closed."""
    state = ticket.state_definition
    return not (state.resolved or state.final)


def _check(ticket: Ticket, material: MaterialItem, upload, *, by_talent: bool) -> str:
    """Validate before anything is written; returns the sniffed content type. Every
    message names the field it is about (``file`` or ``material``)."""
    if by_talent and not talent_may_write(ticket):
        raise ValidationError({"file": [_("This case is finished; it no longer takes replies or documents.")]})
    if not by_talent and ticket.is_final:
        raise ValidationError({"file": [_("The ticket is closed.")]})
    if material.ticket_id != ticket.pk:
        raise ValidationError({"material": [_("This document is not part of this case.")]})
    if material.status == MaterialStatus.RECEIVED:
        raise ValidationError({"file": [_("This document was already received.")]})
    if upload is None:
        raise ValidationError({"file": [_("Choose a file to upload.")]})
    if upload.size > max_bytes():
        raise ValidationError({"file": [too_large_message()]})
    if upload.size == 0:
        raise ValidationError({"file": [_("The file is empty.")]})
    upload.seek(0)
    content_type = sniff(upload.read(16))
    upload.seek(0)
    if content_type is None:
        raise ValidationError({"file": [_("Only PDF, JPEG and PNG files can be uploaded.")]})
    if Attachment.objects.filter(ticket=ticket).count() >= max_per_ticket():
        raise ValidationError({"file": [
            _("This case already has %(count)d files; please contact your officer.") % {"count": max_per_ticket()}]})
    return content_type


def attachment_upload(*, ticket: Ticket, material: MaterialItem, upload, actor=None,
                      talent: Talent | None = None, then=None) -> Attachment:
    """Store a document for one material of a ticket — the talent's own (``talent``, the
    portal) or uploaded by staff whose scope includes the ticket (``actor``: the ticket
    page, the API).

    Checks the type by content (PDF, JPEG, PNG), the size and the count per ticket, before
    and again under the ticket's lock; writes the file under a generated name; records the
    attachment, marks the material submitted (the officer receives or rejects it), queues
    its pre-review (run by the worker after commit) and logs a public upload event. ``then``
    is called with the locked ticket inside the same transaction (the portal hands the
    ticket back there). Anything refused or failing removes the stored file again.
    """
    if (actor is None) == (talent is None):
        raise TypeError("attachment_upload needs exactly one of actor (staff) or talent")
    if talent is not None:
        if ticket.talent_id != talent.pk:
            raise ActionForbidden(_("This case is not yours."))
        scope = Ticket.objects.filter(talent=talent)
    else:
        if not is_staff_member(actor):
            raise ActionForbidden()
        scope = Ticket.objects.visible_to(actor)
    by_talent = talent is not None
    content_type = _check(ticket, material, upload, by_talent=by_talent)
    stored = store(upload, content_type=content_type)
    try:
        with transaction.atomic():
            locked = scope.select_for_update().filter(pk=ticket.pk).first()
            if locked is None:
                raise ActionForbidden(_("This ticket is not in your scope."))
            material = MaterialItem.objects.select_for_update().get(pk=material.pk)
            _check(locked, material, upload, by_talent=by_talent)  # again, under the lock: count and status
            attachment = Attachment.objects.create(
                ticket=locked,
                material=material,
                original_name=display_name(getattr(upload, "name", ""), stored.content_type),
                stored_name=stored.stored_name,
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                by_talent=by_talent,
                uploaded_by=actor,
                created_at=clock.now(),
            )
            material_update(material=material, talent=talent, actor=actor, status=MaterialStatus.SUBMITTED,
                            upload=True)
            prereview_queue(attachment=attachment)
            ticket_log(
                ticket=locked,
                kind=EventKind.UPLOAD,
                actor=actor,
                public=True,
                by_talent=by_talent,
                data={
                    "material": material.material_id,
                    "attachment": str(attachment.key),
                    "name": attachment.original_name,
                    "size": attachment.size,
                    "content_type": attachment.content_type,
                },
            )
            if then is not None:
                then(locked)
    except BaseException:
        discard(stored)
        raise
    return attachment
