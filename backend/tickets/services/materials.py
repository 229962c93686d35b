"""The materials checklist: received, rejected (with a reason) or pending again."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionForbidden
from talents.models import Talent
from tickets.material_requests import REQUEST_ACTION
from tickets.models import EventKind, MaterialItem, MaterialStatus, Ticket
from tickets.services._base import (
    STAFF_ROLES,
    _clean_text,
    _event,
    _is_system,
    _locked,
    _require_role,
)


@transaction.atomic
def material_update(
    *, material: MaterialItem, actor=None, status: str, reason: str = "", talent: Talent | None = None,
    upload: bool = False,
) -> MaterialItem:
    """Mark a material received, rejected (a reason is required) or pending again.

    With ``talent`` (an upload on the portal) only the ticket's own talent may act and only
    to mark it submitted: staff receive or reject it (pre-review only advises them). A
    staff member's upload (``upload``: ``prereview.uploads``) marks it submitted too, so the
    file waits for the same decision. The system user receives it only where the workflow
    lets pre-review auto-accept."""
    if talent is not None:
        if status != MaterialStatus.SUBMITTED:
            raise ActionForbidden()
        ticket = _locked(material.ticket, None, scope=Ticket.objects.filter(talent=talent))
    else:
        if not _is_system(actor):
            _require_role(actor, STAFF_ROLES)
        ticket = _locked(material.ticket, actor)
    if ticket.is_final:
        raise ValidationError({"status": [_("The ticket is closed.")]})
    if status not in MaterialStatus.values:
        raise ValidationError({"status": [_("Unknown status “%(value)s”.") % {"value": status}]})
    if status == MaterialStatus.SUBMITTED and talent is None and not upload:
        raise ValidationError({"status": [_("Only an upload marks a document submitted.")]})
    reason = _clean_text(
        reason, field="reason", required=status == MaterialStatus.REJECTED, limit=300
    )
    material = MaterialItem.objects.select_for_update().get(pk=material.pk, ticket=ticket)
    old_status = material.status
    material.status = status
    material.reason = reason if status == MaterialStatus.REJECTED else ""
    material._history_user = actor
    material._change_reason = f"{old_status} → {status}"
    material._history_date = clock.now()
    material.save()
    _event(
        ticket,
        kind=EventKind.MATERIAL,
        actor=actor,
        by_talent=talent is not None,
        public=True,
        body=reason,
        data={"material": material.material_id, "from": old_status, "to": status},
    )
    return material


def materials_mark_requested(*, ticket: Ticket, requested, actor, action: str) -> list[str]:
    """Tick the items a request for materials asks for (and untick the others); called by
    ``ticket_transition`` under its lock. Returns the ids asked for, in checklist order.

    Only the workflows' request action names items; an unknown or already received item is
    refused naming the field ``requested``."""
    if action != REQUEST_ACTION:
        raise ValidationError({"requested": [_("Only a request for materials names items.")]})
    wanted = {str(material_id).strip() for material_id in requested}
    items = list(ticket.materials.select_for_update().order_by("id"))
    known = {item.material_id: item for item in items}
    unknown = sorted(wanted - set(known))
    if unknown:
        raise ValidationError({"requested": [
            _("Not a material of this ticket: %(list)s.") % {"list": ", ".join(unknown)}]})
    received = [known[m].label for m in sorted(wanted) if known[m].status == MaterialStatus.RECEIVED]
    if received:
        raise ValidationError({"requested": [
            _("Already received: %(list)s.") % {"list": "; ".join(received)}]})
    now = clock.now()
    for item in items:
        flag = item.material_id in wanted
        if item.requested != flag:
            item.requested = flag
            item._history_user = actor
            item._change_reason = _("asked for") if flag else _("no longer asked for")
            item._history_date = now
            item.save(update_fields=["requested", "updated_at"])
    return [item.material_id for item in items if item.material_id in wanted]
