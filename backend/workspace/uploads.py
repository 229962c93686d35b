"""Staff attach a file to a ticket's material from the ticket page (a scan made at the
window, a document sent by post). The file goes through the one upload service
(``prereview.uploads.attachment_upload``): the same checks, storage and pre-review as a
talent's upload on the portal; the material waits for the officer's decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from core.errors import ActionForbidden
from prereview import uploads
from workspace.access import staff_required
from workspace.forms import AttachmentForm
from workspace.ticket import _fresh, _get, _refusal


@csrf_exempt  # checked inside (csrf_protect), once the size-limited upload handler is in place
def ticket_material_upload(request, reference: str, material_id: int):
    request.upload_handlers.insert(0, uploads.LimitedUploadHandler(request))
    return _material_upload(request, reference=reference, material_id=material_id)


@csrf_protect
@staff_required()
@require_POST
def _material_upload(request, reference: str, material_id: int):
    ticket = _get(request, reference)
    material = get_object_or_404(ticket.materials, pk=material_id)
    form = AttachmentForm(request.POST, request.FILES)
    if getattr(request, "upload_too_large", False):
        error_text = uploads.too_large_message()
    elif not form.is_valid():
        error_text = " ".join(form.errors.get("file", [])) or _("Choose a file to upload.")
    else:
        try:
            attachment = uploads.attachment_upload(ticket=ticket, material=material, actor=request.user,
                                                   upload=form.cleaned_data["file"])
        except ValidationError as error:
            error_text = " ".join(error.messages)
        except ActionForbidden as error:
            _refusal(request, error)
            return _fresh(request, reference)
        else:
            messages.success(request, _("%(material)s: “%(name)s” attached; pre-review is running.") % {
                "material": material.label, "name": attachment.original_name})
            return _fresh(request, reference)
    return _fresh(request, reference, errors=True, upload_errors={material.pk: error_text})
