"""The materials checklist: received, rejected (with a reason) or pending again."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionForbidden
from talents.models import Talent
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
