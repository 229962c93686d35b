"""What a talent does through the portal: prove access, reply, upload, rate.

Every action goes through the ticket services (``ticket_log``, ``material_update``,
``ticket_transition`` with ``talent=``), scoped to the talent's own tickets: a ticket of
another talent is refused as if it did not exist.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionForbidden
from portal.models import Rating
from prereview.models import Attachment
from prereview.uploads import attachment_upload, talent_may_write
from staff.permissions import is_supervising
from talents.models import Talent
from tickets import access
from tickets.material_requests import HAND_BACK_ACTION, asked_for, hand_back_ready
from tickets.models import EventKind, MaterialItem, Ticket, TimelineEvent
from tickets.services import ticket_log, ticket_transition

MAX_REPLY = 5000
MAX_COMMENT = 2000
# Compared against when the reference is unknown, so that an unknown reference costs the
# same work as a wrong code and the two cannot be told apart by timing.
_DUMMY_HASH = access.access_code_hash("0000000000")


# --- access ---------------------------------------------------------------------------------


def normalise_reference(reference: str) -> str:
    return (reference or "").strip().upper().replace(" ", "")[:20]


def portal_verify(*, reference: str, code: str) -> Ticket | None:
    """The ticket when ``code`` is its access code; None otherwise.

    An unknown reference and a wrong code do the same work (one indexed read and one
    constant-time HMAC comparison) and give the same answer.
    """
    ticket = (
        Ticket.objects.select_related("talent").filter(reference=normalise_reference(reference)).first()
    )
    matches = access.access_code_matches(code or "", ticket.access_code_hash if ticket else _DUMMY_HASH)
    return ticket if ticket is not None and matches else None


def _own_ticket_locked(ticket: Ticket, talent: Talent) -> Ticket:
    locked = Ticket.objects.select_for_update().filter(pk=ticket.pk, talent=talent).first()
    if locked is None:
        raise ActionForbidden(_("This case is not yours."))
    return locked


def talent_may_rate(ticket: Ticket) -> bool:
    """Rating opens once the ticket is resolved (or finished otherwise: rejected, withdrawn)."""
    state = ticket.state_definition
    return state.resolved or state.final


def hand_back_allowed(ticket: Ticket) -> bool:
    """The workflow lets the talent hand the ticket back from the current state."""
    return any(t.action == HAND_BACK_ACTION for t in ticket.workflow.actions_for(ticket.state, "talent"))


def hand_back_available(ticket: Ticket) -> bool:
    """The workflow allows the hand-back and nothing the talent was asked for is open."""
    return hand_back_allowed(ticket) and hand_back_ready(ticket.materials.all())


WITHDRAW_ACTION = "withdraw"
MAX_WITHDRAW_REASON = 500


def withdraw_available(ticket: Ticket) -> bool:
    """The ticket's workflow lets the talent withdraw it from the current state."""
    return any(t.action == WITHDRAW_ACTION for t in ticket.workflow.actions_for(ticket.state, "talent"))


def outstanding_materials(ticket: Ticket) -> list[MaterialItem]:
    """What the talent is asked to send now (``tickets.material_requests.asked_for``)."""
    return asked_for(ticket.materials.all())


def _hand_back(ticket: Ticket, talent: Talent) -> TimelineEvent | None:
    if not hand_back_available(ticket):
        return None
    return ticket_transition(ticket=ticket, action=HAND_BACK_ACTION, talent=talent)


def _require_open(ticket: Ticket, field: str) -> None:
    if not talent_may_write(ticket):
        raise ValidationError({field: [_("This case is finished; it no longer takes replies or documents.")]})


# --- reply ----------------------------------------------------------------------------------


@transaction.atomic
def portal_reply(*, ticket: Ticket, talent: Talent, body: str, hand_back: bool = False) -> TimelineEvent:
    """The talent's public reply on the timeline ("talent replied"). With ``hand_back``
    (the talent says it answers everything asked) the ticket returns to the officer where
    the workflow allows it and nothing asked for is still missing, which resumes the SLA
    clock; while something is missing it stays a reply (the officer is told of it)."""
    ticket = _own_ticket_locked(ticket, talent)
    _require_open(ticket, "body")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Please write your reply.")]})
    if len(body) > MAX_REPLY:
        raise ValidationError({"body": [_("Please keep your reply under %(limit)d characters.") % {"limit": MAX_REPLY}]})
    event = ticket_log(
        ticket=ticket, kind=EventKind.TALENT_REPLY, public=True, by_talent=True, body=body
    )
    if hand_back:
        _hand_back(ticket, talent)
    return event


@transaction.atomic
def portal_hand_back(*, ticket: Ticket, talent: Talent) -> TimelineEvent:
    """The talent says everything asked for was sent: the workflow's hand-back action."""
    ticket = _own_ticket_locked(ticket, talent)
    if hand_back_allowed(ticket) and not hand_back_ready(ticket.materials.all()):
        missing = "; ".join(item.label for item in outstanding_materials(ticket))
        raise ValidationError({"action": [
            _("Still missing: %(list)s. Upload them first, or write to your officer.") % {"list": missing}]})
    event = _hand_back(ticket, talent)
    if event is None:
        raise ValidationError({"action": [_("Your officer is not waiting for anything from you now.")]})
    return event


@transaction.atomic
def portal_withdraw(*, ticket: Ticket, talent: Talent, reason: str) -> TimelineEvent:
    """The talent withdraws their own case, with a reason, where its workflow allows it
    (the workflow's ``withdraw`` action by the talent role, through ``ticket_transition``:
    the case closes, the clock stops, the talent is told). Another talent's case is refused
    as if it did not exist (``ActionForbidden``)."""
    ticket = _own_ticket_locked(ticket, talent)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Please tell us why you withdraw the request.")]})
    if len(reason) > MAX_WITHDRAW_REASON:
        raise ValidationError({"reason": [_("Please keep the reason under %(limit)d characters.")
                                          % {"limit": MAX_WITHDRAW_REASON}]})
    if not withdraw_available(ticket):
        raise ValidationError({"reason": [_("This case can no longer be withdrawn online. Please contact your officer.")]})
    return ticket_transition(ticket=ticket, action=WITHDRAW_ACTION, talent=talent, note=reason)


# --- upload ---------------------------------------------------------------------------------


def portal_upload(*, ticket: Ticket, talent: Talent, material: MaterialItem, upload) -> Attachment:
    """Store a talent's document for one material of their ticket through the one upload
    service (``prereview.uploads.attachment_upload``: checks, storage, pre-review, timeline),
    and when nothing asked for is open any more hand the ticket back to the officer
    where the workflow allows it (the SLA clock resumes), in the same transaction."""

    def hand_back_when_complete(locked: Ticket) -> None:
        _hand_back(locked, talent)  # when nothing asked for is open any more

    return attachment_upload(ticket=ticket, material=material, upload=upload, talent=talent,
                             then=hand_back_when_complete)


# --- rating ---------------------------------------------------------------------------------


@transaction.atomic
def portal_rate(*, ticket: Ticket, talent: Talent, score, comment: str = "") -> Rating:
    """Rate the service once, after resolution. A 1 or 2 opens a follow-up for the
    supervisor: the rating is flagged (the supervisors' follow-up list), an internal
    timeline event records it, and the centre's supervisors get an in-app notice."""
    ticket = _own_ticket_locked(ticket, talent)
    if not talent_may_rate(ticket):
        raise ValidationError({"score": [_("You can rate the service once your case is finished.")]})
    if Rating.objects.filter(ticket=ticket).exists():
        raise ValidationError({"score": [_("You have already rated this case. Thank you!")]})
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": [_("Choose from 1 to 5 stars.")]})
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": [_("Please keep your comment under %(limit)d characters.") % {"limit": MAX_COMMENT}]})
    now = clock.now()
    rating = Rating(ticket=ticket, score=score, comment=comment, created_at=now,
                    follow_up=score <= Rating.LOW)
    rating._history_date = now
    rating._change_reason = "rated by the talent"
    rating.save()
    ticket_log(
        ticket=ticket,
        kind=EventKind.RATING,
        public=False,
        by_talent=True,
        body=comment,
        data={"score": score, "follow_up": rating.follow_up},
    )
    if rating.follow_up:
        _notify_supervisors(ticket, rating)
    return rating


def _notify_supervisors(ticket: Ticket, rating: Rating) -> None:
    """An in-app notice to each supervisor of the ticket's centre (notifications app)."""
    from portal import follow_up

    follow_up.notify_low_rating(ticket=ticket, rating=rating)


@transaction.atomic
def rating_follow_up_close(*, rating: Rating, actor, note: str) -> Rating:
    """The supervisor records how a low rating was followed up; closes it."""
    if not is_supervising(actor):
        raise ActionForbidden()
    rating = (
        Rating.objects.select_for_update()
        .filter(pk=rating.pk, ticket__in=Ticket.objects.visible_to(actor))
        .first()
    )
    if rating is None:
        raise ActionForbidden(_("This ticket is not in your scope."))
    if not rating.follow_up or rating.follow_up_done_at is not None:
        raise ValidationError({"note": [_("This rating has no open follow-up.")]})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Say how the talent was contacted and what was agreed.")]})
    if len(note) > MAX_COMMENT:
        raise ValidationError({"note": [_("Please keep the note under %(limit)d characters.") % {"limit": MAX_COMMENT}]})
    now = clock.now()
    rating.follow_up_done_at = now
    rating.follow_up_by = actor
    rating.follow_up_note = note
    rating._history_user = actor
    rating._history_date = now
    rating._change_reason = "follow-up closed"
    rating.save()
    ticket_log(
        ticket=rating.ticket,
        kind=EventKind.RATING,
        actor=actor,
        public=False,
        body=note,
        data={"score": rating.score, "follow_up": "closed"},
    )
    return rating
