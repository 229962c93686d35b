"""The escalation scan: warn the assignee at 75 % of a target, alert the supervisors at
breach, each exactly once per ticket, target and kind.

``escalation_scan`` reads the ids of tickets whose ``sla_next_check_at`` has come (a
partial index over running clocks: milliseconds on a million tickets, see
``docs/escalation-benchmark.md``) and handles each in its own short transaction:

1. lock the ticket row (a concurrent scan skips it, or waits and then finds the work done);
2. for every checkpoint that has come and is not yet in ``SlaAlert``: record the alert
   (unique per ticket, target and kind), an internal timeline event, the in-app notices
   and the e-mails (outbox rows, delivered after commit);
3. move ``sla_next_check_at`` to the next checkpoint still ahead.

Running the scan twice, or two beat processes by mistake, therefore sends nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from sla.clock import BREACH, WARN_SHARE, WARNING, pending_checkpoints, sla_next_check
from sla.models import SlaAlert

log = logging.getLogger("talentdesk.sla")
BATCH = 500


@dataclass(frozen=True)
class ScanResult:
    visited: int
    alerts: int


def escalation_scan(*, now=None, limit: int = 5000) -> ScanResult:
    """Handle every ticket due for a look at ``now`` (at most ``limit`` per run); by
    default now by the database's clock, so scans on hosts with drifting clocks agree."""
    from core.system import system_user
    from tickets.models import Ticket

    now = now or clock.database_now()
    actor = system_user()
    visited = alerts = 0
    while visited < limit:
        ids = list(
            Ticket.objects.sla_scan_due(now).order_by("sla_next_check_at", "pk")
            .values_list("pk", flat=True)[: min(BATCH, limit - visited)]
        )
        if not ids:
            break
        for pk in ids:
            alerts += sla_escalate(ticket_id=pk, now=now, actor=actor)
        visited += len(ids)
        if len(ids) < BATCH:
            break
    return ScanResult(visited, alerts)


@transaction.atomic
def sla_escalate(*, ticket_id: int, now=None, actor=None) -> int:
    """Act on one ticket's checkpoints that have come; return how many alerts were sent."""
    from core.system import system_user
    from tickets.models import EventKind, Ticket
    from tickets.notify import notify_sla_alert
    from tickets.services import ticket_log

    now = now or clock.database_now()
    ticket = (
        Ticket.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("assignee__user", "centre", "talent")
        .filter(pk=ticket_id).first()
    )
    if ticket is None or ticket.sla_next_check_at is None or ticket.sla_next_check_at > now:
        return 0  # another scan holds it or has done it; or nothing is due any more
    sent = set(SlaAlert.objects.filter(ticket=ticket).values_list("target", "kind"))
    come = [p for p in pending_checkpoints(ticket, frozenset(sent)) if p.at <= now]
    breached = {p.target for p in come if p.kind == BREACH}
    actor = actor or system_user()
    count = 0
    for point in come:
        if point.kind == WARNING and point.target in breached:
            continue  # a late scan: the breach alert says it all
        alert = SlaAlert.objects.create(
            ticket=ticket, target=point.target, kind=point.kind,
            due_at=_due_of(ticket, point.target), threshold_at=point.at, created_at=now,
            assignee=ticket.assignee,
        )
        sent.add((point.target, point.kind))
        due_local = _local(alert.due_at, ticket.centre)
        ticket_log(
            ticket=ticket, kind=EventKind.SLA, actor=actor, public=False,
            body=_event_text(alert, due_local),
            data={"alert": alert.pk, "target": alert.target, "kind": alert.kind,
                  "due": alert.due_at.isoformat(), "provisional": ticket.sla_provisional},
        )
        notify_sla_alert(ticket=ticket, alert=alert, due_local=due_local)
        count += 1
    # ``sla_next_check_at`` is scan bookkeeping, excluded from the ticket's history; the
    # alert itself is on the timeline (with its own history). Writing just this column
    # keeps a scan from adding a history row per ticket.
    Ticket.objects.filter(pk=ticket.pk).update(
        sla_next_check_at=sla_next_check(ticket, frozenset(sent)))
    return count


def _due_of(ticket, target: str):
    return ticket.first_response_due if target == "first_response" else ticket.resolution_due


def _local(value, centre) -> str:
    from zoneinfo import ZoneInfo

    return timezone.localtime(value, ZoneInfo(centre.time_zone)).strftime("%Y-%m-%d %H:%M")


def _event_text(alert, due_local: str) -> str:
    target = _("first response") if alert.target == "first_response" else _("resolution")
    if alert.kind == WARNING:
        return _("%(share)s%% of the %(target)s time has passed (due %(due)s); assignee warned.") % {
            "share": int(WARN_SHARE * 100), "target": target, "due": due_local}
    return _("%(target)s deadline %(due)s missed; supervisor alerted.") % {
        "target": target, "due": due_local}
