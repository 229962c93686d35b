"""The sensitive-access log (``GET /sensitive-access/``): supervisors read who revealed a
document number, downloaded a talent's file or found a talent by document number, in
their centre; administrators everywhere. Other roles get 403."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError

from api.base import ApiView, Pagination, paginated
from api.errors import error_responses
from api.fields import MaskedTextField, TalentRefSerializer, UserRefSerializer
from staff.models import Role, role_of
from talents.models import AccessKind, SensitiveAccess


class SensitiveAccessSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=AccessKind.choices)
    user = UserRefSerializer()
    talent = TalentRefSerializer()
    ticket = serializers.CharField(source="ticket.reference", allow_null=True,
                                   help_text="The ticket's reference, if any.")
    detail = MaskedTextField(help_text="The reason of a reveal, the file's name, or the masked number found.")
    created_at = serializers.DateTimeField()


class SensitiveAccessView(ApiView):
    pagination_class = Pagination

    @extend_schema(
        operation_id="sensitive_access_list",
        summary="The sensitive-access log, newest first (supervisors and administrators)",
        tags=["talents"],
        parameters=[OpenApiParameter("kind", {"type": "string", "enum": AccessKind.values},
                                     OpenApiParameter.QUERY, description="Only this kind.")],
        responses={200: SensitiveAccessSerializer(many=True), **error_responses(400, 403)},
    )
    def get(self, request):
        if role_of(request.user) not in (Role.SUPERVISOR, Role.ADMIN):
            raise PermissionDenied()
        rows = SensitiveAccess.objects.visible_to(request.user).select_related(
            "user__officer", "talent", "ticket")
        kind = request.query_params.get("kind")
        if kind is not None:
            if kind not in AccessKind.values:
                raise ValidationError({"kind": [_("Choose one of: %(kinds)s.") % {
                    "kinds": ", ".join(AccessKind.values)}]})
            rows = rows.filter(kind=kind)
        return paginated(self, rows.order_by("-created_at", "-id"), SensitiveAccessSerializer)
