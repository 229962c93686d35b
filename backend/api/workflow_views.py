"""The categories and their workflows, as loaded from ``workflows/*.yaml``, in zh and en."""

from __future__ import annotations

import re

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api.base import ApiView
from api.errors import error_responses
from api.fields import TextField
from flows.registry import UnknownWorkflow, current_workflows, get_workflow

TAG = ["workflows"]
KEY_PATTERN = r"^[-a-z0-9_]{1,40}$"
_KEY = re.compile(KEY_PATTERN)


class MaterialDefinitionSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = TextField()
    required = serializers.BooleanField()


class StateDefinitionSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = TextField()
    public_label = TextField(help_text="What the talent reads on the status page.")
    initial = serializers.BooleanField()
    final = serializers.BooleanField()
    resolved = serializers.BooleanField()
    pauses_sla = serializers.BooleanField(help_text="The SLA clock stops: the talent owes something.")


class ActionDefinitionSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = TextField()
    sources = serializers.ListField(child=serializers.CharField(), help_text="From these states.")
    target = serializers.CharField()
    roles = serializers.SerializerMethodField()
    comment_required = serializers.BooleanField()
    notify_talent = serializers.BooleanField()
    requires_materials = serializers.BooleanField()

    def get_roles(self, transition) -> list[str]:
        return sorted(transition.roles)


class SlaTargetSerializer(serializers.Serializer):
    first_response_hours = serializers.FloatField(help_text="In working hours.")
    resolution_days = serializers.IntegerField(help_text="In working days.")


class WorkflowSerializer(serializers.Serializer):
    key = serializers.CharField()
    version = serializers.IntegerField()
    name = TextField()
    description = TextField(allow_null=True)
    identity_required = serializers.BooleanField(
        help_text="false: a new talent's name and phone are enough to open the request (a caller's "
                  "question); true: `nationality`, `document_type` and `document_number` are required.")
    materials = MaterialDefinitionSerializer(many=True)
    states = StateDefinitionSerializer(many=True)
    actions = ActionDefinitionSerializer(many=True, source="transitions")
    sla = serializers.DictField(
        child=SlaTargetSerializer(), help_text="Per priority: low, normal, high, urgent."
    )

    def to_representation(self, workflow):
        data = super().to_representation(workflow)
        if workflow.description is None:
            data["description"] = None
        return data


class WorkflowListView(ApiView):
    @extend_schema(
        operation_id="workflows_list",
        summary="The categories in force, each with its workflow",
        tags=TAG,
        responses={200: WorkflowSerializer(many=True), **error_responses()},
    )
    def get(self, request):
        workflows = sorted(current_workflows().values(), key=lambda w: w.key)
        return Response(WorkflowSerializer(workflows, many=True).data)


class WorkflowDetailView(ApiView):
    @extend_schema(
        operation_id="workflows_retrieve",
        summary="One category's workflow (the version in force, or a pinned older one)",
        tags=TAG,
        parameters=[
            OpenApiParameter("key", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=KEY_PATTERN,
                             description="The category key, e.g. `settlement`."),
            OpenApiParameter("version", {"type": "integer", "minimum": 1, "maximum": 1000000},
                             description="A version tickets were opened under; default: in force."),
        ],
        responses={200: WorkflowSerializer, **error_responses(400, 404)},
    )
    def get(self, request, key: str):
        if not _KEY.match(key or ""):
            raise Http404
        version = request.query_params.get("version")
        if version is not None:
            if not version.isdigit() or not 1 <= int(version) <= 1_000_000:
                raise serializers.ValidationError({"version": [_("Give a whole number from 1.")]})
            version = int(version)
        try:
            workflow = get_workflow(key, version)
        except UnknownWorkflow:
            raise Http404 from None
        return Response(WorkflowSerializer(workflow).data)
