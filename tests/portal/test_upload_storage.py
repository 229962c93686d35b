"""Uploads go through Django's storage API: with STORAGES["default"] pointed at another
backend (here Django's in-memory storage, standing in for an S3-compatible store), a
talent's upload is saved there, nothing touches the upload directory, and the file is
still served only through the access-checked download view."""

import pytest
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from portal.services import portal_upload
from prereview.models import Attachment
from tests.portal.conftest import PDF, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_memory(settings, upload_root):
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    from django.core.files.storage import storages

    assert isinstance(storages["default"], InMemoryStorage)
    return upload_root


def _files_under(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _stored_files(path: str) -> list[str]:
    directories, files = default_storage.listdir(path)
    nested = [name for d in directories for name in _stored_files(f"{path}/{d}")]
    return [f"{path}/{f}" for f in files] + nested


def _upload_url(ticket):
    item = ticket.materials.get(material_id="talent_certificate")
    return reverse("portal:upload", args=[ticket.reference, item.pk])


def test_an_upload_is_saved_in_the_configured_storage_not_on_disk(portal, waiting_ticket, in_memory):
    assert portal.post(_upload_url(waiting_ticket), {"file": pdf("certificate.pdf")}).status_code == 302
    attachment = Attachment.objects.get()
    with default_storage.open(attachment.stored_name, "rb") as handle:
        assert handle.read() == PDF
    assert attachment.stored_name.startswith("portal/") and attachment.stored_name.endswith(".pdf")
    assert _files_under(in_memory) == []


def test_the_talent_downloads_it_from_that_storage_through_the_checked_view(
    portal, waiting_ticket, in_memory
):
    portal.post(_upload_url(waiting_ticket), {"file": pdf("certificate.pdf")})
    url = reverse("portal:attachment", kwargs={"key": Attachment.objects.get().key})
    response = portal.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="certificate.pdf"'
    assert Client().get(url).status_code == 404  # no portal session: not yours


def test_a_file_missing_from_the_storage_is_a_404(portal, waiting_ticket, in_memory):
    portal.post(_upload_url(waiting_ticket), {"file": pdf("certificate.pdf")})
    attachment = Attachment.objects.get()
    default_storage.delete(attachment.stored_name)
    assert portal.get(reverse("portal:attachment", kwargs={"key": attachment.key})).status_code == 404


def test_a_failure_after_saving_deletes_it_from_that_storage(open_ticket, talent, in_memory,
                                                             monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("prereview.uploads.ticket_log", broken)
    item = open_ticket.materials.get(material_id="passport")
    with pytest.raises(RuntimeError):
        portal_upload(ticket=open_ticket, talent=talent, material=item,
                      upload=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"))
    assert not Attachment.objects.exists()
    assert _stored_files("portal") == []
