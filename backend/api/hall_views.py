"""The service hall for a hall's existing kiosks and screens: take a number, call the next
one at a window, list a centre's lines. Staff accounts only (a kiosk signs in as one);
centres and windows outside the caller's scope answer 404."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from api.base import ApiView, Pagination, StrictSerializer, paginated, parse_id
from api.errors import error_responses
from centres.models import ServiceCentre
from hall import access
from hall.board import follow_path, number_state
from hall.models import ServiceLine
from hall.services import (
    estimate_wait_minutes,
    line_minutes_per_person,
    queue_call_next,
    queue_number_take,
)
from talents.models import Talent

TAG = ["hall"]


def _centre_or_404(request, code: str) -> ServiceCentre:
    centre = ServiceCentre.objects.filter(code=code).first()
    if centre is None or not access.may_see_centre(request.user, centre):
        raise Http404
    return centre


class LineSerializer(serializers.Serializer):
    prefix = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()


class WindowNameSerializer(serializers.Serializer):
    zh = serializers.CharField()
    en = serializers.CharField()


class NumberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="Prefix and the day's sequence, e.g. A023.")
    status = serializers.CharField()
    line = LineSerializer()
    ahead = serializers.IntegerField(help_text="People who will be called before.")
    estimated_wait_minutes = serializers.IntegerField()
    window = WindowNameSerializer(allow_null=True, help_text="Where it is called; null while waiting.")
    taken_at = serializers.DateTimeField()
    follow_url = serializers.CharField(help_text="The holder's phone page (position and wait).")


class TakeSerializer(StrictSerializer):
    centre = serializers.SlugField(max_length=32, help_text="The centre's code.")
    line = serializers.RegexField(r"^[A-Z]{1,2}$", max_length=2, help_text="The line's prefix.")
    talent = serializers.IntegerField(required=False, min_value=1, max_value=2**62,
                                      help_text="A known talent's id.")
    category = serializers.SlugField(required=False, max_length=40, default="")
    language = serializers.ChoiceField(choices=["zh", "en"], default="zh")


class LineListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    prefix = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField())
    windows = serializers.ListField(child=serializers.IntegerField())
    waiting = serializers.IntegerField()
    estimated_wait_minutes = serializers.IntegerField(help_text="For a number taken now.")


def _answer(request, number, code=status.HTTP_200_OK) -> Response:
    data = number_state(number)
    data.pop("version")
    data["follow_url"] = request.build_absolute_uri(follow_path(number))
    return Response(NumberSerializer(data).data, status=code)


class NumberTakeView(ApiView):
    @extend_schema(
        operation_id="hall_numbers_take",
        summary="Take a queue number in a centre's line (a kiosk or a clerk)",
        tags=TAG, request=TakeSerializer,
        responses={201: NumberSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request):
        serializer = TakeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        centre = _centre_or_404(request, data["centre"])
        line = ServiceLine.objects.filter(centre=centre, prefix=data["line"]).first()
        if line is None:
            raise serializers.ValidationError({"line": [_("This centre has no line “%(value)s”.")
                                                        % {"value": data["line"]}]})
        talent = None
        if "talent" in data:
            talent = Talent.objects.filter(pk=data["talent"]).first()
            if talent is None:
                raise serializers.ValidationError({"talent": [_("No such talent.")]})
        number = queue_number_take(line=line, source="api", talent=talent, category=data["category"],
                                   language=data["language"], actor=request.user)
        return _answer(request, number, status.HTTP_201_CREATED)


WINDOW_PARAMETER = OpenApiParameter("window_id", {"type": "integer", "minimum": 1},
                                    OpenApiParameter.PATH, description="The window's id.")


class CallNextView(ApiView):
    @extend_schema(
        operation_id="hall_windows_call_next",
        summary="Call the next number to this window (appointments first, then waiting time)",
        description="Finishes the window's current number. 409 when nobody waits in the "
                    "lines this window serves.",
        tags=TAG, parameters=[WINDOW_PARAMETER], request=None,
        responses={200: NumberSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, window_id: str):
        window = access.windows_for(request.user).filter(pk=parse_id(window_id)).first()
        if window is None:
            raise Http404
        number = queue_call_next(window=window, actor=request.user)
        return _answer(request, number)


class LineListView(ApiView, generics.GenericAPIView):
    pagination_class = Pagination
    serializer_class = LineListSerializer
    queryset = ServiceLine.objects.none()  # for the schema; rows are built in get()

    @extend_schema(
        operation_id="hall_lines_list",
        summary="A centre's open service lines, with people waiting and the wait now",
        tags=TAG,
        parameters=[OpenApiParameter("centre", str, required=True, description="The centre's code.")],
        responses={200: LineListSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request):
        code = request.query_params.get("centre", "").strip()
        if not code:
            raise serializers.ValidationError({"centre": [_("This field is required.")]})
        centre = _centre_or_404(request, code[:32])
        lines = (ServiceLine.objects.filter(centre=centre, is_active=True)
                 .prefetch_related("windows"))
        lines = lines.annotate(waiting_count=Count("numbers", filter=Q(numbers__status="waiting")))
        rows = []
        for line in lines:
            windows = [w.pk for w in line.windows.all() if w.is_active]
            rows.append({
                "id": line.pk, "prefix": line.prefix, "name_zh": line.name_zh,
                "name_en": line.name_en, "categories": line.categories, "windows": windows,
                "waiting": line.waiting_count,
                "estimated_wait_minutes": estimate_wait_minutes(
                    ahead=line.waiting_count, minutes_per_person=line_minutes_per_person(line),
                    windows=len(windows)),
            })
        return paginated(self, rows, LineListSerializer)
