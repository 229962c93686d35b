"""What the board, the kiosk, the phone page and the API show: plain dicts, both languages.

Reads only; a constant number of queries whatever the number of people waiting.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.urls import reverse

from core import clock
from hall import live
from hall.models import CALL_KINDS, HallEvent, NumberStatus, QueueNumber, ServiceLine
from hall.services import estimate_wait_minutes, line_minutes_per_person, local_day, people_ahead

CALLS_SHOWN = 6
NEXT_SHOWN = 3


def _start_of_day(centre, now) -> datetime:
    zone = ZoneInfo(centre.time_zone)
    return datetime.combine(local_day(centre, now), time.min, tzinfo=zone)


def line_dict(line: ServiceLine) -> dict:
    return {"prefix": line.prefix, "name_zh": line.name_zh, "name_en": line.name_en}


def follow_path(number: QueueNumber) -> str:
    return reverse("hall:follow", kwargs={"token": number.follow_token})


def number_state(number: QueueNumber, *, now=None) -> dict:
    """One number as its holder sees it: status, people ahead, estimated wait, window."""
    ahead = people_ahead(number)
    waiting = number.status == NumberStatus.WAITING
    minutes = estimate_wait_minutes(
        ahead=ahead, minutes_per_person=line_minutes_per_person(number.line, now=now),
        windows=number.line.windows.filter(is_active=True).count(),
    ) if waiting else 0
    window = number.window if number.status == NumberStatus.CALLED else None
    return {
        "id": number.pk,
        "number": number.number,
        "status": number.status,
        "line": line_dict(number.line),
        "ahead": ahead,
        "estimated_wait_minutes": minutes,
        "window": {"zh": window.name_zh, "en": window.name_en} if window else None,
        "taken_at": number.taken_at.isoformat(),
        "version": live.version(number.centre_id),
    }


def board_state(centre, *, now=None) -> dict:
    """The hall's TV: the latest calls (newest first) with their window, the next numbers
    and the count waiting per line, the centre's local time. Four queries."""
    now = now or clock.now()
    version = live.version(centre.pk)
    calls = (
        HallEvent.objects.filter(centre=centre, kind__in=CALL_KINDS, at__gte=_start_of_day(centre, now))
        .select_related("queue_number", "window").order_by("-id")[:CALLS_SHOWN]
    )
    lines = list(ServiceLine.objects.filter(centre=centre, is_active=True))
    waiting = defaultdict(list)
    for line_id, number in (QueueNumber.objects.waiting().filter(centre=centre).in_call_order()
                            .values_list("line_id", "number")):
        waiting[line_id].append(number)
    local = now.astimezone(ZoneInfo(centre.time_zone))
    return {
        "version": version,
        "time": local.strftime("%H:%M"),
        "date": local.date().isoformat(),
        "calls": [
            {"id": event.pk, "number": event.queue_number.number, "kind": event.kind,
             "window_zh": event.window.name_zh, "window_en": event.window.name_en,
             "at": event.at.isoformat()}
            for event in calls
        ],
        "lines": [
            {**line_dict(line), "waiting": len(waiting[line.pk]),
             "next": waiting[line.pk][:NEXT_SHOWN]}
            for line in lines
        ],
    }
