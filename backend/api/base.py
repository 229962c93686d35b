"""Building blocks of the API views, reusable by any app that adds endpoints under /api/.

- ``ApiView``: JSON in and out, token then session authentication (settings; so a missing
  credential answers 401 with ``WWW-Authenticate: Token``), the one error shape.
- ``StrictSerializer``: rejects unknown fields and server-owned fields by name.
- ``Pagination``: ``{count, next, previous, results}``, ``page_size`` capped at 100.
- ``StaffWritesOnly``: reading is scoped by the queries; changing anything needs a staff role
  (the services then check what that role may do).
"""

from __future__ import annotations

import json
import re

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from api.errors import exception_handler
from staff.models import role_of
from staff.permissions import STAFF_ROLES


class StrictJSONParser(JSONParser):
    """JSON that the database can store: lone surrogates (``"\\ud800"``) and absurd nesting
    are refused here, where they are a 400, rather than deeper down, where they would be a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:  # absurdly deep nesting
            raise exceptions.ParseError(_("The request body is nested too deeply.")) from None
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except (UnicodeEncodeError, ValueError, RecursionError):
            raise exceptions.ParseError(_("The request body contains invalid characters.")) from None
        return data


class StaffWritesOnly(permissions.BasePermission):
    """Any signed-in user may read (the scope queries decide what they see); only staff
    roles may write. What each role may do is the services' decision, not this class's."""

    message = _("Your role does not allow this action.")

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or role_of(request.user) in STAFF_ROLES


class ApiView(APIView):
    permission_classes = [StaffWritesOnly]
    parser_classes = [StrictJSONParser]
    renderer_classes = [JSONRenderer]

    def get_exception_handler(self):
        return exception_handler


class Pagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


def paginated(view: APIView, queryset, serializer_class, **context):
    """Page ``queryset`` (a queryset or a list) and answer with ``serializer_class``."""
    paginator = Pagination()
    page = paginator.paginate_queryset(queryset, view.request, view=view)
    data = serializer_class(page, many=True, context={"request": view.request, **context}).data
    return paginator.get_paginated_response(data)


def get_or_404(queryset, **lookup):
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


_ID = re.compile(r"^[1-9][0-9]{0,17}$")


def parse_id(value: str) -> int:
    """A path id as an int, or 404 (never an overflow in the database driver)."""
    if not _ID.match(value or ""):
        raise Http404
    return int(value)


class StrictSerializer(serializers.Serializer):
    """An input serializer that refuses what it does not know instead of ignoring it.

    ``server_owned`` names fields a client may see in answers but never write; sending one
    answers 400 saying so. Any other unknown key answers 400 "Unknown field.".
    """

    server_owned: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = {}
            writable = {name for name, field in self.fields.items() if not field.read_only}
            for name in data:
                if name in writable:
                    continue
                if name in self.server_owned or name in self.fields:
                    errors[name] = [_("This field is set by the server and cannot be written.")]
                else:
                    errors[name] = [_("Unknown field.")]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    pass


@extend_schema(exclude=True)
class NotFoundView(ApiView):
    """Every method of an address the API does not have: 404 ``{"detail": …}``."""

    permission_classes = [permissions.AllowAny]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise Http404
