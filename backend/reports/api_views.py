"""``GET /api/v1/reports/response-times/`` and ``GET /api/v1/reports/hall/``: the
dashboard's figures for other systems."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core import clock
from hall import measures
from reports import queries, snapshots
from reports.periods import parse_period, scope_for


def _scope_and_period(request):
    """The caller's report scope and the requested period, as the API's 403 / 400."""
    try:
        return (scope_for(request.user, request.query_params.get("centre")),
                parse_period(request.query_params))
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict) from None


class MeasureSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Tickets with this measure.")
    p50_hours = serializers.FloatField(allow_null=True, help_text="Median, working hours.")
    p90_hours = serializers.FloatField(allow_null=True, help_text="90th percentile, working hours.")
    sla_met = serializers.IntegerField()
    sla_judged = serializers.IntegerField(help_text="Met, missed, or overdue without it.")
    sla_compliance_pct = serializers.FloatField(allow_null=True)


class FiguresSerializer(serializers.Serializer):
    opened = serializers.IntegerField()
    online = serializers.IntegerField(help_text="Tickets opened online.")
    online_share_pct = serializers.FloatField(allow_null=True, help_text="online / opened, in %.")
    finished = serializers.IntegerField(help_text="Tickets opened in the period and finished since.")
    handled_online = serializers.IntegerField(
        help_text="Finished tickets opened online whose talent never came to the hall for them.")
    handled_online_pct = serializers.FloatField(
        allow_null=True, help_text="网上实际办理率: handled_online / finished, in %.")
    first_response = MeasureSerializer()
    resolution = MeasureSerializer()
    still_open = serializers.IntegerField()
    satisfaction = inline_serializer(
        "Satisfaction",
        {"average": serializers.FloatField(allow_null=True), "count": serializers.IntegerField()},
    )


class GroupSerializer(FiguresSerializer):
    key = serializers.CharField(allow_null=True, help_text="Category key, window or officer id, channel.")
    label = serializers.CharField()


class PeriodSerializer(serializers.Serializer):
    from_ = serializers.DateField()
    to = serializers.DateField()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class ResponseTimesSerializer(serializers.Serializer):
    period = PeriodSerializer()
    previous_period = PeriodSerializer()
    centre = serializers.CharField(allow_null=True, help_text="Centre code; null for all centres.")
    group_by = serializers.CharField(allow_null=True)
    total = FiguresSerializer()
    previous_total = FiguresSerializer()
    groups = GroupSerializer(many=True)
    computed_at = serializers.DateTimeField(
        help_text="When these figures were computed (snapshots are refreshed every few minutes)."
    )


class ResponseTimesView(APIView):
    """First-response and resolution times in working hours (median, 90th percentile),
    SLA compliance and volumes of the tickets opened in a period, optionally per group.

    Supervisors get their centre; administrators all centres or ``centre``. Times are in
    the centre's working hours, excluding time spent waiting on the talent.
    """

    @extend_schema(
        operation_id="reports_response_times",
        tags=["reports"],
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default: 29 days before `to`)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, included (default: today)."),
            OpenApiParameter("group_by", OpenApiTypes.STR, enum=list(queries.DIMENSIONS)),
            OpenApiParameter("centre", OpenApiTypes.STR, description="Centre code or id (administrators)."),
        ],
        responses={200: ResponseTimesSerializer},
    )
    def get(self, request):
        scope, period = _scope_and_period(request)
        group_by = (request.query_params.get("group_by") or "").strip() or None
        if group_by is not None and group_by not in queries.DIMENSIONS:
            raise ValidationError(
                {"group_by": [f"Choose one of: {', '.join(queries.DIMENSIONS)}."]}
            )
        now = clock.now()
        figures = snapshots.period_figures(scope, period, now=now)
        current, before = figures.current, figures.before
        groups = []
        if group_by:
            for row in figures.breakdowns[group_by]:
                groups.append({"key": row.key if row.key is None else str(row.key),
                               "label": row.label, **row.figures.as_dict()})
        previous = period.previous()
        data = {
            "period": {"from": period.start, "to": period.end},
            "previous_period": {"from": previous.start, "to": previous.end},
            "centre": scope.chosen.code if scope.chosen else None,
            "group_by": group_by,
            "total": current.as_dict(),
            "previous_total": before.as_dict(),
            "groups": groups,
            "computed_at": figures.computed_at,
        }
        return Response(ResponseTimesSerializer(data).data)




class HallFiguresSerializer(serializers.Serializer):
    taken = serializers.IntegerField(help_text="Queue numbers taken.")
    called = serializers.IntegerField()
    served = serializers.IntegerField(help_text="Visits finished as done.")
    no_shows = serializers.IntegerField()
    abandoned = serializers.IntegerField(help_text="Still waiting when the hall closed.")
    wait_p50_minutes = serializers.FloatField(allow_null=True, help_text="Taken → first called.")
    wait_p90_minutes = serializers.FloatField(allow_null=True)
    service_p50_minutes = serializers.FloatField(allow_null=True, help_text="Called → done.")
    service_mean_minutes = serializers.FloatField(allow_null=True)


class HallGroupSerializer(HallFiguresSerializer):
    key = serializers.CharField(help_text="Line prefix, window code or hour of the day (0-23).")


class HallMeasuresSerializer(serializers.Serializer):
    period = PeriodSerializer()
    centre = serializers.CharField(allow_null=True, help_text="Centre code; null for all centres.")
    waiting_now = serializers.IntegerField()
    longest_wait_now_minutes = serializers.FloatField()
    total = HallFiguresSerializer()
    lines = HallGroupSerializer(many=True)
    windows = HallGroupSerializer(many=True)
    hours = HallGroupSerializer(many=True)


class HallMeasuresView(APIView):
    """The service hall in a period (numbers taken ``from``..``to``): wait and service
    times in minutes (wall-clock), no-shows and abandoned numbers, per line, window and
    hour of the day; and the people waiting now. Same scope as the other reports."""

    @extend_schema(
        operation_id="reports_hall",
        tags=["reports"],
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default: 29 days before `to`)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, included (default: today)."),
            OpenApiParameter("centre", OpenApiTypes.STR, description="Centre code or id (administrators)."),
        ],
        responses={200: HallMeasuresSerializer},
    )
    def get(self, request):
        scope, period = _scope_and_period(request)
        ids = scope.centre_ids
        zone = scope.centres[0].time_zone if scope.centres else "Asia/Shanghai"
        report = measures.hall_period(ids, period.since, period.until, zone=zone)
        now = measures.hall_now(ids, now=clock.now())
        data = {
            "period": {"from": period.start, "to": period.end},
            "centre": scope.chosen.code if scope.chosen else None,
            "waiting_now": now["waiting"],
            "longest_wait_now_minutes": now["longest_wait_minutes"],
            "total": report.total.as_dict(),
            "lines": [{"key": k, **f.as_dict()} for k, f in report.lines.items()],
            "windows": [{"key": k, **f.as_dict()} for k, f in report.windows.items()],
            "hours": [{"key": str(k), **f.as_dict()} for k, f in report.hours.items()],
        }
        return Response(HallMeasuresSerializer(data).data)
