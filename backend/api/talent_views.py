"""Talent endpoints. Staff find the talents of their centre (``Talent.objects.visible_to``)
and, outside it, only by a whole document number (recorded); a user without a staff role
sees none. The document number is masked in every answer, phone and e-mail in lists;
``POST /talents/{id}/reveal/`` shows the number and records who, when and why."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from api.base import ApiView, Pagination, get_or_404, parse_id
from api.errors import error_responses
from api.talent_serializers import (
    RevealedSerializer,
    RevealSerializer,
    TalentCreateSerializer,
    TalentListSerializer,
    TalentSerializer,
    TalentUpdateSerializer,
)
from api.ticket_filters import IdFilter
from api.ticket_views import scoped_tickets
from talents import services
from talents.models import DocumentType, Origin, Talent, Tier
from tickets.services import ticket_document_reveal

TAG = ["talents"]
TALENT_PARAMETER = OpenApiParameter(
    "talent_id", {"type": "integer", "minimum": 1}, OpenApiParameter.PATH,
    description="The talent's id.",
)


def scoped_talents(request):
    return Talent.objects.visible_to(request.user).select_related("dedicated_officer")


class TalentFilter(filters.FilterSet):
    q = filters.CharFilter(
        method="filter_search", max_length=100,
        help_text=(
            "Name in either script or phone; a document number by its whole number or its "
            "last four characters. A whole number also finds another centre's talent; every "
            "talent found by document number is recorded in the sensitive-access log."
        ),
    )
    nationality = filters.CharFilter(
        lookup_expr="iexact", max_length=2,
        help_text="Nationality (region), 国籍（地区）: ISO 3166-1 alpha-2, e.g. GB; HK, MO, TW for "
                  "中国香港, 中国澳门, 中国台湾."
    )
    document_type = filters.ChoiceFilter(choices=DocumentType.choices)
    tier = filters.ChoiceFilter(choices=Tier.choices)
    origin = filters.ChoiceFilter(choices=Origin.choices)
    dedicated_officer = IdFilter(field_name="dedicated_officer_id", help_text="An officer id.")

    class Meta:
        model = Talent
        fields: list = []

    def filter_search(self, queryset, name, value):
        return queryset  # applied first, in filter_queryset: it replaces the scope

    def filter_queryset(self, queryset):
        text = self.form.cleaned_data.get("q") or ""
        if text.strip():
            # A whole document number reaches past the scope: the search is the base.
            found = services.talent_search(actor=self.request.user, text=text)
            queryset = Talent.objects.filter(pk__in=found.values("pk")).select_related(
                "dedicated_officer"
            )
        return super().filter_queryset(queryset).order_by("latin_name", "native_name", "id")


class TalentCollectionView(ApiView, generics.GenericAPIView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = TalentFilter
    pagination_class = Pagination
    serializer_class = TalentListSerializer

    def get_queryset(self):
        return scoped_talents(self.request)

    @extend_schema(
        operation_id="talents_list",
        summary="Find talents in your scope (staff only; others get an empty list)",
        tags=TAG,
        responses={200: TalentListSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(TalentListSerializer(page, many=True).data)

    @extend_schema(
        operation_id="talents_create",
        summary="Register a talent",
        description="Unknown and server-owned fields are refused; the answer masks the document number.",
        tags=TAG,
        request=TalentCreateSerializer,
        responses={201: TalentSerializer, **error_responses(400, 403)},
    )
    def post(self, request):
        serializer = TalentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        talent = services.talent_create(actor=request.user, **serializer.validated_data)
        return Response(
            TalentSerializer(talent).data, status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/talents/{talent.pk}/"},
        )


class TalentDetailView(ApiView):
    @extend_schema(
        operation_id="talents_retrieve", summary="A talent", tags=TAG,
        parameters=[TALENT_PARAMETER],
        responses={200: TalentSerializer, **error_responses(404)},
    )
    def get(self, request, talent_id: str):
        talent = get_or_404(scoped_talents(request), pk=parse_id(talent_id))
        return Response(TalentSerializer(talent).data)

    @extend_schema(
        operation_id="talents_update",
        summary="Change a talent's details",
        description="Send only the fields to change, and optionally a `reason` for the history.",
        tags=TAG,
        parameters=[TALENT_PARAMETER],
        request=TalentUpdateSerializer,
        responses={200: TalentSerializer, **error_responses(400, 403, 404)},
    )
    def patch(self, request, talent_id: str):
        talent = get_or_404(scoped_talents(request), pk=parse_id(talent_id))
        serializer = TalentUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        reason = fields.pop("reason", "")
        talent = services.talent_update(talent=talent, actor=request.user, reason=reason, **fields)
        talent = Talent.objects.select_related("dedicated_officer").get(pk=talent.pk)
        return Response(TalentSerializer(talent).data)


class TalentRevealView(ApiView):
    @extend_schema(
        operation_id="talents_reveal",
        summary="Show the full document number (recorded: who, when, why)",
        description=(
            "Writes an audit record (and, with `ticket`, an internal event on that ticket's "
            "timeline). The answer is marked `Cache-Control: no-store`."
        ),
        tags=TAG,
        parameters=[TALENT_PARAMETER],
        request=RevealSerializer,
        responses={200: RevealedSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, talent_id: str):
        talent = get_or_404(scoped_talents(request), pk=parse_id(talent_id))
        serializer = RevealSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket = None
        reference = serializer.validated_data.get("ticket")
        if reference:
            ticket = scoped_tickets(request).filter(reference=reference, talent=talent).first()
            if ticket is None:
                raise serializers.ValidationError(
                    {"ticket": [_("No ticket of this talent with this reference in your scope.")]}
                )
        reason = serializer.validated_data["reason"]
        if ticket is not None:
            number = ticket_document_reveal(ticket=ticket, actor=request.user, reason=reason)
        else:
            number = services.talent_document_reveal(talent=talent, actor=request.user, reason=reason)
        return Response(
            RevealedSerializer({"document_number": number}).data,
            headers={"Cache-Control": "no-store"},
        )

