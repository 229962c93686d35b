"""即办: a question answered on the spot (at the window or on the call) is opened, answered
and closed in one step, through the same services as every other ticket, so it is
counted, audited and leaves no deadline running; and the reference and access code sent
by SMS to a caller who cannot be handed a printed receipt."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from flows.registry import current_workflows
from tickets import access, notify
from tickets.models import Ticket
from tickets.services._base import MAX_BODY, STAFF_ROLES, _clean_text, _require_role
from tickets.services.opening import OpenedTicket, ticket_open
from tickets.services.workflow import ticket_access_code_reset, ticket_transition

# The workflow action that answers a request on the spot (declared in the workflow files,
# e.g. policy_consultation's "即办（当场答复）"), and the one that closes an answered ticket.
ON_THE_SPOT_ACTION = "answer_on_the_spot"
CLOSE_ACTION = "close"


def answers_on_the_spot(category: str) -> bool:
    """The category's current workflow can answer a request on the spot (即办)."""
    workflow = current_workflows().get(category or "")
    return workflow is not None and workflow.transition(ON_THE_SPOT_ACTION) is not None


@transaction.atomic
def ticket_open_answered(*, actor, answer: str, category: str, **fields) -> OpenedTicket:
    """Open a ticket (``ticket_open``, same arguments), answer it on the spot with
    ``answer`` (the workflow's ``answer_on_the_spot``: first response and resolution, a
    public event the talent reads, the answer sent to them as for any resolution) and
    close it — one transaction, so either all of it happens or nothing.

    A repeated request (same idempotency key) returns the first ticket untouched. Raises
    ``ValidationError`` naming ``answer`` (missing) or ``category`` (no on-the-spot answer).
    """
    _require_role(actor, STAFF_ROLES)
    answer = _clean_text(answer, field="answer", required=True, limit=MAX_BODY)
    if not answers_on_the_spot(category):
        raise ValidationError({"category": [_("This category cannot be answered on the spot.")]})
    opened = ticket_open(actor=actor, category=category, **fields)
    if not opened.created:
        return opened
    ticket = opened.ticket
    ticket_transition(ticket=ticket, action=ON_THE_SPOT_ACTION, actor=actor, note=answer)
    ticket.refresh_from_db()
    closing = ticket.workflow.transition(CLOSE_ACTION)
    if closing is not None and ticket.state in closing.sources:
        ticket_transition(ticket=ticket, action=CLOSE_ACTION, actor=actor)
        ticket.refresh_from_db()
    return OpenedTicket(ticket=ticket, access_code=opened.access_code, created=True)


@transaction.atomic
def ticket_access_code_send(*, ticket: Ticket, actor) -> None:
    """Send the reference and a new access code by SMS to the talent's phone (a caller is
    handed no receipt). The code is new (``ticket_access_code_reset``: earlier codes and
    links stop working) and travels only in the outbox message to the talent's phone: it
    is neither returned, nor written to the timeline, nor logged.

    Raises ``ValidationError`` naming ``phone`` when the talent has no phone number.
    """
    _require_role(actor, STAFF_ROLES)
    if not ticket.talent.phone:
        raise ValidationError({"phone": [_("The talent has no phone number to send the code to.")]})
    code = ticket_access_code_reset(ticket=ticket, actor=actor)
    ticket.refresh_from_db()
    notify.notify_access_code(ticket=ticket, access_code=access.access_code_display(code))
