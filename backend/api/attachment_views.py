"""``POST /api/v1/tickets/{reference}/materials/{material_id}/attachments/``: staff upload a
file for a material through the one upload service (``prereview.uploads``), so the file is
checked, stored and pre-reviewed exactly as a talent's upload on the portal."""

from __future__ import annotations

import re

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from api.base import ApiView, StrictSerializer
from api.errors import error_responses
from api.ticket_serializers import PrereviewSerializer
from api.ticket_views import (
    MATERIAL_PARAMETER,
    MATERIAL_PATTERN,
    REFERENCE_PARAMETER,
    TAG,
    ticket_or_404,
)
from prereview import uploads
from prereview.presenters import as_api
from tickets.models import MaterialItem

_MATERIAL = re.compile(MATERIAL_PATTERN)


class AttachmentUploadSerializer(StrictSerializer):
    file = serializers.FileField(
        help_text="PDF, JPEG or PNG (decided by the file's content), at most "
        "`UPLOAD_MAX_MB` megabytes (10 unless configured); at most `UPLOAD_MAX_PER_TICKET` "
        "files per ticket (20 unless configured).",
    )


class AttachmentSerializer(serializers.Serializer):
    key = serializers.UUIDField(help_text="The file's key.")
    material_id = serializers.CharField(source="material.material_id")
    material_status = serializers.CharField(source="material.status",
                                            help_text="`submitted`: waiting for the officer's decision.")
    name = serializers.CharField(source="original_name", help_text="The file name, cleaned for display.")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    created_at = serializers.DateTimeField()
    prereview = serializers.SerializerMethodField(
        help_text="`pending` until the worker has checked the file; the ticket's `materials[]` "
        "shows the result later."
    )

    @extend_schema_field(PrereviewSerializer())
    def get_prereview(self, attachment) -> dict | None:
        return as_api(attachment.reviews.select_related("attachment").order_by("-created_at", "-id").first())


class TicketAttachmentView(ApiView):
    parser_classes = [MultiPartParser]

    def initialize_request(self, request, *args, **kwargs):
        # Before anything reads the body: stop receiving a file once it passes the limit.
        request.upload_handlers.insert(0, uploads.LimitedUploadHandler(request))
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        operation_id="tickets_material_attachment_upload",
        summary="Upload a file for a material (multipart); it is pre-reviewed like a talent's upload",
        description=(
            "Send `multipart/form-data` with one `file`. The type is decided by the file's "
            "content (PDF, JPEG, PNG), not its name or header. The material becomes `submitted` "
            "(the officer still receives or rejects it), the file is pre-reviewed by the worker "
            "after the upload, and a public upload event goes on the timeline. Refusals name "
            "the field: `file` (missing, empty, too large, not an allowed type, too many files "
            "on the ticket, material already received, ticket closed) or `material`. Another "
            "content type than multipart answers 415."
        ),
        tags=TAG,
        parameters=[REFERENCE_PARAMETER, MATERIAL_PARAMETER],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, reference: str, material_id: str):
        ticket = ticket_or_404(request, reference)
        if not _MATERIAL.match(material_id or ""):
            raise Http404
        material = MaterialItem.objects.filter(ticket=ticket, material_id=material_id).first()
        if material is None:
            raise Http404
        data = request.data  # parsed here, with the size-limited handler in place
        if getattr(request._request, "upload_too_large", False):
            raise serializers.ValidationError({"file": [uploads.too_large_message()]})
        serializer = AttachmentUploadSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        attachment = uploads.attachment_upload(ticket=ticket, material=material, actor=request.user,
                                               upload=serializer.validated_data["file"])
        attachment.material.refresh_from_db(fields=["status"])
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)
