"""Failed status checks are recorded: a row per wrong code or unknown reference (who tried from
where, which reference), readable by administrators in the admin."""

from __future__ import annotations

from core import clock
from portal.models import FailedCheckReason, FailedStatusCheck


def status_check_failed(*, reason: str, address: str, reference: str = "") -> FailedStatusCheck:
    if reason not in FailedCheckReason.values:
        raise ValueError(f"unknown reason {reason!r}")
    return FailedStatusCheck.objects.create(created_at=clock.now(), reason=reason,
                                            reference=reference[:30], address=address[:64])
