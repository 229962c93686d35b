"""Ticket endpoints: thin views that parse, call one service of ``tickets.services`` and
answer. Scope is ``Ticket.objects.visible_to(user)`` everywhere: outside it, 404."""

from __future__ import annotations

import re
from contextlib import nullcontext

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from api.base import ApiView, Pagination, paginated
from api.errors import ClaimConflictError, TransitionConflict, error_responses
from api.history import ticket_history
from api.idempotency import HEADER, PATTERN, idempotency_key
from api.ticket_filters import TicketFilter
from api.ticket_serializers import (
    AssignSerializer,
    CommentSerializer,
    DuplicateWarningSerializer,
    EventSerializer,
    HistoryEntrySerializer,
    MaterialSerializer,
    MaterialUpdateSerializer,
    TicketCreatedSerializer,
    TicketCreateSerializer,
    TicketDetailSerializer,
    TicketSerializer,
    TransitionSerializer,
)
from guidance.services import guidance_choice_record
from prereview.models import Review
from prereview.related import open_duplicates, related_before_opening, related_note
from tickets import permissions, services
from tickets.links import status_url
from tickets.models import MaterialItem, Priority, Ticket, TimelineEvent

REFERENCE_PATTERN = r"^TD-[0-9]{4}-[0-9]{6,9}$"
MATERIAL_PATTERN = r"^[-a-zA-Z0-9_]{1,40}$"
_REFERENCE = re.compile(REFERENCE_PATTERN)
# Each material's reviews, newest first, with the file's key (one query for the ticket).
PREREVIEWS = Prefetch("materials__prereviews",
                      queryset=Review.objects.select_related("attachment").order_by("-created_at", "-id"))
_MATERIAL = re.compile(MATERIAL_PATTERN)

REFERENCE_PARAMETER = OpenApiParameter(
    "reference", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=REFERENCE_PATTERN,
    description="The ticket's reference, e.g. TD-2026-000123.",
    examples=[OpenApiExample("reference", value="TD-2026-000001")],
)
MATERIAL_PARAMETER = OpenApiParameter(
    "material_id", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=MATERIAL_PATTERN,
    description="The material's id in the ticket's workflow, e.g. `passport`.",
)
TAG = ["tickets"]


def scoped_tickets(request):
    """THE scope of the API: what ``request.user`` may see."""
    return Ticket.objects.visible_to(request.user)


def ticket_or_404(request, reference: str, *, detail: bool = False, queryset=None) -> Ticket:
    if not _REFERENCE.match(reference or ""):
        raise Http404
    queryset = scoped_tickets(request) if queryset is None else queryset
    queryset = queryset.for_list()
    if detail:
        queryset = queryset.prefetch_related("materials", PREREVIEWS)
    ticket = queryset.filter(reference=reference).first()
    if ticket is None:
        raise Http404
    return ticket


def detail_answer(request, ticket: Ticket, *, code=status.HTTP_200_OK) -> Response:
    fresh = ticket_or_404(request, ticket.reference, detail=True, queryset=Ticket.objects.all())
    return Response(TicketDetailSerializer(fresh, context={"request": request}).data, status=code)


class TicketCollectionView(ApiView, generics.GenericAPIView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = TicketFilter
    pagination_class = Pagination
    serializer_class = TicketSerializer

    def get_queryset(self):
        return scoped_tickets(self.request).for_list()

    @extend_schema(
        operation_id="tickets_list",
        summary="List the tickets in your scope",
        description=(
            "Window staff see their windows' tickets, officers their own and their windows' "
            "unassigned ones, supervisors their centre's, administrators all. Paginated "
            "(`page`, `page_size` ≤ 100); a constant number of queries per page."
        ),
        tags=TAG,
        responses={200: TicketSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        data = TicketSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(
        operation_id="tickets_create",
        summary="Open a ticket",
        description=(
            "For an existing talent (`talent`: id) or a new one (`new_talent`: the talent's "
            "fields, registered in the same transaction). Server-owned fields (reference, "
            "state, assignee, timestamps, due times, access code) and unknown fields are "
            "refused with 400 naming them. The ticket is routed by the routing rules.\n\n"
            "**Idempotency-Key** (optional, per user): the same key with the same body "
            "(compared as canonical JSON) answers 201 with the same ticket, the header "
            "`Idempotent-Replayed: true` and `access_code: null` — the access code is only "
            "ever in the first answer. The same key with a different body answers 422.\n\n"
            "**Duplicates.** When the talent already has an open ticket of this category (among "
            "the tickets you may see), the answer is 409 with those tickets (`duplicates`) and "
            "nothing is opened — unless the request says `\"confirm_duplicate\": true`; then the "
            "ticket is opened and the related tickets are noted on its internal timeline. The "
            "same rule warns at the window, the hotline and on the portal."
        ),
        tags=TAG,
        request=TicketCreateSerializer,
        parameters=[
            OpenApiParameter(
                HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, pattern=PATTERN,
                description="1–64 visible ASCII characters chosen by the client per request.",
            )
        ],
        responses={201: TicketCreatedSerializer,
                   **error_responses(400, 403, 409, 422, conflict=DuplicateWarningSerializer)},
    )
    def post(self, request):
        key = idempotency_key(request)
        serializer = TicketCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        talent = data.get("talent")
        # One look-up before opening: the talent's open tickets of the category and recent
        # ones with a similar subject (none for a new talent). The open ones in the user's
        # scope refuse an unconfirmed request (409, nothing opened); all of them are noted
        # on the ticket, in the opening's own INSERT of timeline events.
        related = related_before_opening(talent=talent, category=data["category"],
                                         subject=data["subject"])
        if not data.get("confirm_duplicate"):
            duplicates = _duplicates_in_scope(request, related, key)
            if duplicates:
                return Response(DuplicateWarningSerializer(duplicates).data,
                                status=status.HTTP_409_CONFLICT)
        suggested = data.get("guidance_suggested")
        with transaction.atomic() if suggested else nullcontext():
            opened = services.ticket_open(
                actor=request.user,
                talent=talent,
                new_talent=data.get("new_talent"),
                category=data["category"],
                channel=data["channel"],
                subject=data["subject"],
                description=data.get("description", ""),
                priority=data.get("priority", Priority.NORMAL),
                window=data.get("window"),
                materials_received=data.get("materials_received", ()),
                idempotency_key=key,
                note=related_note(related),
            )
            if opened.created and suggested:
                guidance_choice_record(ticket=opened.ticket, suggested=suggested, actor=request.user)
        return _created_answer(request, opened)


def _duplicates_in_scope(request, related, key) -> list[Ticket]:
    """The duplicate rule (``prereview.related.open_duplicates``) on the looked-up tickets:
    the open ones of the category that the user may see, newest first — not the ticket a
    repeated request (same Idempotency-Key) opened, which is answered as a replay."""
    ids = [r.ticket.pk for r in related if r.kind == "open_same_category"
           and not (key and r.ticket.client_token == key and r.ticket.created_by_id == request.user.pk)]
    if not ids:
        return []
    return open_duplicates(talent_id=related[0].ticket.talent_id, category=related[0].ticket.category,
                           scope=scoped_tickets(request).filter(pk__in=ids))


def _created_answer(request, opened) -> Response:
    replayed = not opened.created
    if replayed:
        ticket = ticket_or_404(request, opened.ticket.reference, detail=True,
                               queryset=Ticket.objects.all())
    else:  # as written by the opening: its checklist, no pre-review yet
        ticket = opened.ticket
        materials = MaterialItem.objects.filter(ticket=ticket)
        materials._result_cache, materials._prefetch_done = list(opened.materials), True
        ticket._prefetched_objects_cache = {"materials": materials}
        for item in opened.materials:
            reviews = Review.objects.none()
            reviews._result_cache, reviews._prefetch_done = [], True
            item._prefetched_objects_cache = {"prereviews": reviews}
    access_code = opened.access_code
    ticket.access_code = access_code
    ticket.status_url = status_url(ticket)
    data = TicketCreatedSerializer(ticket, context={"request": request}).data
    headers = {"Location": f"/api/v1/tickets/{ticket.reference}/"}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(data, status=status.HTTP_201_CREATED, headers=headers)


class TicketDetailView(ApiView):
    @extend_schema(
        operation_id="tickets_retrieve",
        summary="A ticket with its materials and the actions your role may take now",
        tags=TAG,
        parameters=[REFERENCE_PARAMETER],
        responses={200: TicketDetailSerializer, **error_responses(404)},
    )
    def get(self, request, reference: str):
        ticket = ticket_or_404(request, reference, detail=True)
        return Response(TicketDetailSerializer(ticket, context={"request": request}).data)


class TicketTimelineView(ApiView):
    pagination_class = Pagination

    @extend_schema(
        operation_id="tickets_timeline",
        summary="The ticket's timeline, oldest first (public and internal events)",
        tags=TAG,
        parameters=[REFERENCE_PARAMETER],
        responses={200: EventSerializer(many=True), **error_responses(404)},
    )
    def get(self, request, reference: str):
        ticket = ticket_or_404(request, reference)
        events = TimelineEvent.objects.filter(ticket=ticket).select_related(
            "actor__officer", "ticket__talent")
        return paginated(self, events.order_by("created_at", "id"), EventSerializer)


class TicketHistoryView(ApiView):
    pagination_class = Pagination

    @extend_schema(
        operation_id="tickets_history",
        summary="The audit trail of the ticket and its materials, oldest first",
        description=(
            "Each entry: when, who, the reason recorded with the change, the object changed "
            "(`ticket` or `material:<id>`), and the changed fields with old and new stored "
            "values. Document numbers are masked wherever they appear."
        ),
        tags=TAG,
        parameters=[REFERENCE_PARAMETER],
        responses={200: HistoryEntrySerializer(many=True), **error_responses(404)},
    )
    def get(self, request, reference: str):
        ticket = ticket_or_404(request, reference)
        return paginated(self, ticket_history(ticket), HistoryEntrySerializer)


class TicketTransitionView(ApiView):
    @extend_schema(
        operation_id="tickets_transition",
        summary="Take a workflow action",
        description=(
            "409 with `current_state` and `allowed_actions` when the action is not possible "
            "from the current state; 403 when your role may not take it; 400 when a "
            "required note or required materials are missing."
        ),
        tags=TAG,
        parameters=[REFERENCE_PARAMETER],
        request=TransitionSerializer,
        responses={
            200: TicketDetailSerializer,
            **error_responses(400, 403, 404, 409, conflict=TransitionConflict),
        },
    )
    def post(self, request, reference: str):
        ticket = ticket_or_404(request, reference)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.ticket_transition(
            ticket=ticket, action=serializer.validated_data["action"], actor=request.user,
            note=serializer.validated_data["note"],
            requested=serializer.validated_data.get("requested"),
        )
        return detail_answer(request, ticket)


class TicketClaimView(ApiView):
    @extend_schema(
        operation_id="tickets_claim",
        summary="Take an unassigned ticket of your windows (officers, supervisors)",
        description="409 naming the holder when someone else already holds it.",
        tags=TAG,
        parameters=[REFERENCE_PARAMETER],
        request=None,
        responses={
            200: TicketDetailSerializer,
            **error_responses(400, 403, 404, 409, conflict=ClaimConflictError),
        },
    )
    def post(self, request, reference: str):
        # A stale claim (someone took it since you listed it) must say so, not "not found".
        ticket = ticket_or_404(request, reference, queryset=permissions.claim_lookup(request.user))
        services.ticket_claim(ticket=ticket, actor=request.user)
        return detail_answer(request, ticket)


class TicketAssignView(ApiView):
    @extend_schema(
        operation_id="tickets_assign",
        summary="Give the ticket to an officer or back to the queue (supervisors)",
        tags=TAG,
        parameters=[REFERENCE_PARAMETER],
        request=AssignSerializer,
        responses={200: TicketDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, reference: str):
        ticket = ticket_or_404(request, reference)
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.ticket_assign(
            ticket=ticket, officer=serializer.validated_data["assignee"], actor=request.user,
            reason=serializer.validated_data["reason"],
            expected_version=serializer.validated_data.get("version"),
            confirm_missing_skill=serializer.validated_data["confirm_missing_skill"],
        )
        return detail_answer(request, ticket)


class TicketCommentView(ApiView):
    @extend_schema(
        operation_id="tickets_comment",
        summary="Reply to the talent (public) or add an internal note",
        tags=TAG,
        parameters=[REFERENCE_PARAMETER],
        request=CommentSerializer,
        responses={201: EventSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, reference: str):
        ticket = ticket_or_404(request, reference)
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.ticket_comment(
            ticket=ticket, actor=request.user, body=serializer.validated_data["body"],
            public=serializer.validated_data["public"],
        )
        event = TimelineEvent.objects.select_related("actor__officer", "ticket__talent").get(pk=event.pk)
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)


class TicketMaterialView(ApiView):
    @extend_schema(
        operation_id="tickets_material_update",
        summary="Mark a material received, rejected (with a reason) or pending",
        description="Send `status`, `reason` or both; what is not sent stays as it is.",
        tags=TAG,
        parameters=[REFERENCE_PARAMETER, MATERIAL_PARAMETER],
        request=MaterialUpdateSerializer,
        responses={200: MaterialSerializer, **error_responses(400, 403, 404)},
    )
    def patch(self, request, reference: str, material_id: str):
        ticket = ticket_or_404(request, reference)
        if not _MATERIAL.match(material_id or ""):
            raise Http404
        material = MaterialItem.objects.filter(ticket=ticket, material_id=material_id).first()
        if material is None:
            raise Http404
        serializer = MaterialUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        status_now = data.get("status", material.status)
        kept_reason = material.reason if status_now == material.status else ""
        material = services.material_update(
            material=material, actor=request.user, status=status_now,
            reason=data.get("reason", kept_reason),
        )
        return Response(MaterialSerializer(material).data)
