"""Low ratings as follow-ups for the centre's supervisors.

The follow-up itself is the flagged ``Rating`` (``Rating.objects.needing_follow_up()``),
listed on the supervisors' follow-up page (``workspace:follow_ups``) and closed there with a
note; an internal timeline event records it on the ticket. This module also leaves each
supervisor of the centre an in-app notice (``NoticeKind.LOW_RATING``).
"""

from __future__ import annotations

from notifications.models import NoticeKind
from notifications.notices import notice_add
from staff.models import Officer, Role


def supervisors_of(ticket) -> list[Officer]:
    return list(
        Officer.objects.filter(centre_id=ticket.centre_id, role=Role.SUPERVISOR, user__is_active=True)
    )


def notify_low_rating(*, ticket, rating) -> int:
    """In-app notices to the centre's supervisors; returns how many were left."""
    sent = 0
    for officer in supervisors_of(ticket):
        notice = notice_add(
            recipient=officer,
            kind=NoticeKind.LOW_RATING,
            ticket=ticket,
            data={"reference": ticket.reference, "score": rating.score},
            dedupe_key=f"rating:{rating.pk}:{officer.pk}",
        )
        sent += notice is not None
    return sent
