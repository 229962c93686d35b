"""Who gets a ticket. Returns a decision; ``tickets.services`` applies it.

The centre's promise, in order (DESIGN.md, rule 1):

1. the talent's **dedicated officer**, when on duty and under capacity;
2. else that officer's **backup**, on the same conditions;
3. else the on-duty officer at a window of the ticket's centre that serves the category,
   with the category's skill and the talent's language, holding the **least open work**
   (ties: the one who has waited longest since their last assignment, then the oldest
   profile);
4. else the ticket **waits unassigned** in a window's queue and the supervisors are told.

``exclude`` keeps an officer out of every rule (the one going off duty, or the current
holder when a ticket is routed again). The decision carries a translatable reason that
names the chosen officer, and a machine-readable ``data`` dict (stored on the timeline
event) from which ``describe(data)`` re-renders the reason in any language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from staff.models import Officer, Role
from staff.permissions import ROUTABLE_ROLES
from staff.routing_reasons import (  # noqa: F401 - the rules are part of this module's API
    AT_CAPACITY,
    BACKUP,
    DEDICATED,
    EXCLUDED,
    INACTIVE,
    LEAST_WORK,
    NO_DEDICATED,
    OFF_DUTY,
    OTHER_CENTRE,
    QUEUE,
    describe,
)
from talents.models import spoken_language
from tickets.models import Ticket


@dataclass(frozen=True)
class RoutingDecision:
    officer: Officer | None
    reason: str
    rule: str = QUEUE
    window: object | None = None  # the queue a waiting ticket joins (when it has none yet)
    data: dict = field(default_factory=dict)

    @property
    def queued(self) -> bool:
        return self.officer is None


def open_load(officer: Officer) -> int:
    """Tickets the officer holds that are neither resolved nor closed (read with the
    officer as ``open_load`` when ``routing_decide`` fetched it, else counted)."""
    known = getattr(officer, "open_load", None)
    if known is not None:
        return known
    return officer.assigned_tickets.active().count()


def _unavailable_because(officer: Officer | None, exclude: Officer | None,
                         centre_id=None) -> str | None:
    """None when the officer can take a ticket of the centre now, else why not."""
    if officer is None:
        return NO_DEDICATED
    if not officer.user.is_active or officer.role not in ROUTABLE_ROLES:
        return INACTIVE
    if centre_id is not None and officer.centre_id != centre_id:
        # A centre's ticket never goes to another centre's officer (nor out of its scope).
        return OTHER_CENTRE
    if not officer.on_duty:
        return OFF_DUTY
    if exclude is not None and officer.pk == exclude.pk:
        return EXCLUDED
    if open_load(officer) >= officer.capacity:
        return AT_CAPACITY
    return None


def _available(officer: Officer | None, exclude: Officer | None, centre_id=None) -> bool:
    return _unavailable_because(officer, exclude, centre_id) is None


def _skills_for(ticket) -> tuple[str, ...]:
    """The skills that qualify an officer: the workflow's routing hint, else the category."""
    try:
        hinted = tuple(ticket.workflow.routing_skills)
    except LookupError:
        hinted = ()
    return hinted or (ticket.category,)


def lacks_skill(officer: Officer, ticket) -> bool:
    """The officer has none of the skills that qualify for the ticket: giving it to them
    by hand needs the supervisor's confirmation (``ticket_assign``), and the officer
    picker warns. The one statement of that rule for the pages and the API."""
    return not any(officer.has_skill(skill) for skill in _skills_for(ticket))


def serving_windows(ticket):
    """Active windows of the ticket's centre that serve its category (workflow hints count)."""
    from centres.models import Window

    try:
        hinted = set(ticket.workflow.routing_windows)
    except LookupError:
        hinted = set()
    windows = Window.objects.filter(centre_id=ticket.centre_id, is_active=True).order_by("code")
    return [w for w in windows if w.serves(ticket.category) or w.code in hinted]


def _serving_windows_query(ticket):
    """``serving_windows`` as a queryset, for databases that match inside JSON lists."""
    from centres.models import Window

    try:
        hinted = list(ticket.workflow.routing_windows)
    except LookupError:
        hinted = []
    return Window.objects.filter(centre_id=ticket.centre_id, is_active=True).filter(
        Q(categories__contains=[ticket.category]) | Q(code__in=hinted)).values("pk")


def open_load_subquery(officer_ref: str = "pk"):
    """Open tickets per officer (``officer_ref`` names the outer officer id), as a
    correlated count the partial index ``ticket_active_by_assignee`` answers without
    touching closed work."""
    return (
        Ticket.objects.active()
        .filter(assignee=OuterRef(officer_ref))
        .order_by()
        .values("assignee")
        .annotate(n=Count("pk"))
        .values("n")
    )


def assignment_candidates(centre, now):
    """Who may be given a centre's tickets by hand (active officers and supervisors of the
    centre), with what the officer picker shows: ``load`` (open tickets, as routing counts
    them) and ``overdue`` (of those, past their deadline with the clock running). Two
    correlated counts: one query whatever the team's size."""
    overdue = (
        Ticket.objects.active()
        .filter(assignee=OuterRef("pk"), due_at__lt=now, sla_paused_at__isnull=True)
        .order_by()
        .values("assignee")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Officer.objects.filter(centre=centre, role__in=ROUTABLE_ROLES, user__is_active=True)
        .annotate(load=Coalesce(Subquery(open_load_subquery()), 0), overdue=Coalesce(Subquery(overdue), 0))
        .order_by("display_name", "pk")
    )


def least_work_candidates(ticket, *, exclude: Officer | None = None):
    """On-duty officers qualified for the ticket, least open work first (fair tie-break).

    One query: officers at a serving window of the centre, with the skill and the talent's
    language, under capacity, annotated with ``load``.
    """
    if _json_contains():
        # The serving windows as a subquery (one query for the whole rule).
        windows = _serving_windows_query(ticket)
    else:
        windows = serving_windows(ticket)
        if not windows:
            return Officer.objects.none()
    skills = _skills_for(ticket)
    language = spoken_language(ticket.talent.preferred_language)
    skill_match = Q()
    for skill in skills:
        skill_match |= Q(skills__contains=[skill]) if _json_contains() else Q(skills__icontains=f'"{skill}"')
    language_match = (
        Q(languages__contains=[language]) if _json_contains() else Q(languages__icontains=f'"{language}"')
    )
    candidates = (
        Officer.objects.on_duty()
        .filter(centre_id=ticket.centre_id, role=Role.OFFICER, windows__in=windows)
        .filter(skill_match, language_match)
        .exclude(pk=getattr(exclude, "pk", None))
        .distinct()
        .annotate(load=Coalesce(Subquery(open_load_subquery()), 0))
        .filter(load__lt=F("capacity"))
        .select_related("user")
        .order_by("load", F("last_assigned_at").asc(nulls_first=True), "pk")
    )
    # A JSON ``icontains`` on SQLite could match a longer key that contains the skill;
    # check exactly in Python (the list is a handful of officers).
    return [
        o for o in candidates
        if any(o.has_skill(s) for s in skills) and o.speaks(language)
    ]


def _json_contains() -> bool:
    from django.db import connection

    return connection.features.supports_json_field_contains


def routing_decide(*, ticket, exclude: Officer | None = None) -> RoutingDecision:
    """Apply the four rules to ``ticket`` (not saved by this function)."""
    # Read the officers afresh: duty and load change under a caller's cached objects.
    dedicated_id = ticket.talent.dedicated_officer_id
    # One query: the dedicated officer, the backup and both open loads.
    dedicated = (
        Officer.objects.select_related("user", "backup__user")
        .annotate(
            open_load=Coalesce(Subquery(open_load_subquery()), 0),
            backup_load=Coalesce(Subquery(open_load_subquery("backup_id")), 0),
        )
        .filter(pk=dedicated_id).first()
        if dedicated_id else None
    )
    if dedicated is not None and dedicated.backup is not None:
        dedicated.backup.open_load = dedicated.backup_load
    why_not = _unavailable_because(dedicated, exclude, ticket.centre_id)
    if why_not is None:
        return _decision(DEDICATED, dedicated, because=None)

    backup = dedicated.backup if dedicated is not None else None
    if dedicated is not None and _available(backup, exclude, ticket.centre_id):
        return _decision(BACKUP, backup, because=why_not)

    candidates = least_work_candidates(ticket, exclude=exclude)
    if candidates:
        chosen = candidates[0]
        return _decision(
            LEAST_WORK,
            chosen,
            because=why_not if dedicated is not None else None,
            skill=_skills_for(ticket)[0],
            language=ticket.talent.preferred_language,
            load=chosen.load,
        )
    window = ticket.window
    if window is None or not window.serves(ticket.category):
        serving = serving_windows(ticket)
        window = ticket.window if ticket.window is not None else (serving[0] if serving else None)
    return _decision(
        QUEUE,
        None,
        because=why_not if dedicated is not None else None,
        window=window,
        skill=_skills_for(ticket)[0],
        language=ticket.talent.preferred_language,
    )


def _decision(rule: str, officer: Officer | None, *, because: str | None, window=None,
              **extra) -> RoutingDecision:
    data = {"rule": rule, "because": because, **extra}
    if officer is not None:
        data.update(officer=officer.pk, officer_name=officer.display_name)
    if window is not None:
        data.update(window=window.pk, window_zh=window.name_zh, window_en=window.name_en)
    return RoutingDecision(officer=officer, reason=describe(data), rule=rule, window=window,
                           data=data)


