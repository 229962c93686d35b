"""What the talent is asked to send: one rule for the staff page, the API, the portal and
the talent's messages.

An officer's request for materials (the workflows' ``request_materials`` action) ticks
the items it asks for; those, while not in (pending or rejected), are what the talent must
send now. A request that ticks nothing (and tickets from before itemised requests) asks
for what is missing: every required item not yet handed in, and any rejected one. When
nothing asked for is open, the talent may hand the ticket back (``materials_provided``).
"""

from __future__ import annotations

from collections.abc import Iterable

from tickets.models import MaterialItem, MaterialStatus

REQUEST_ACTION = "request_materials"
HAND_BACK_ACTION = "materials_provided"
OPEN_STATUSES = (MaterialStatus.PENDING, MaterialStatus.REJECTED)


def asked_for(materials: Iterable[MaterialItem]) -> list[MaterialItem]:
    """The items the talent is asked to send now, in checklist order."""
    items = list(materials)
    if any(item.requested for item in items):
        return [item for item in items if item.requested and item.status in OPEN_STATUSES]
    return [item for item in items if item.status == MaterialStatus.REJECTED
            or (item.required and item.status == MaterialStatus.PENDING)]


def hand_back_ready(materials: Iterable[MaterialItem]) -> bool:
    """Nothing asked for is still open: the talent's reply may hand the ticket back."""
    return not asked_for(materials)
