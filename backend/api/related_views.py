"""``GET /api/v1/tickets/{reference}/related/``: related and possibly duplicate tickets."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api.base import ApiView
from api.errors import error_responses
from api.ticket_views import REFERENCE_PARAMETER, TAG, scoped_tickets, ticket_or_404
from prereview.related import related_to


class RelatedTicketSerializer(serializers.Serializer):
    reference = serializers.CharField()
    category = serializers.CharField()
    subject = serializers.CharField()
    state = serializers.CharField()
    created_at = serializers.DateTimeField()
    kind = serializers.ChoiceField(
        choices=["open_same_category", "similar_subject"],
        help_text="`open_same_category`: still open, same category (a likely duplicate); "
        "`similar_subject`: opened in the last 180 days with a similar subject.")
    similarity = serializers.FloatField(allow_null=True, help_text="Trigram similarity of the subjects, 0–1.")

    def to_representation(self, related):
        ticket = related.ticket
        return {"reference": ticket.reference, "category": ticket.category, "subject": ticket.subject,
                "state": ticket.state, "created_at": serializers.DateTimeField().to_representation(ticket.created_at),
                "kind": related.kind, "similarity": related.similarity}


class TicketRelatedView(ApiView):
    @extend_schema(
        operation_id="tickets_related",
        summary="The same talent's open tickets of this category and recent ones with a similar subject",
        description="Only tickets the caller may see are listed; open ones of the same category first.",
        tags=TAG,
        parameters=[REFERENCE_PARAMETER],
        responses={200: RelatedTicketSerializer(many=True), **error_responses(404)},
    )
    def get(self, request, reference: str):
        ticket = ticket_or_404(request, reference)
        related = related_to(ticket, scope=scoped_tickets(request))
        return Response(RelatedTicketSerializer(related, many=True).data)
