"""Issue #12, "Also": the provisional mark sits next to the deadline that rests on an
unpublished calendar, not next to every date of the ticket."""

import pytest

from sla.display import due_lines
from tickets.services import ticket_open

pytestmark = pytest.mark.django_db


@pytest.mark.clock("2026-12-30 10:00")
def test_only_the_deadline_in_the_unknown_year_is_provisional(clerk, talent, window):
    ticket = ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                         subject="Household registration", window=window).ticket
    lines = {line.target: line for line in due_lines(ticket)}
    assert ticket.sla_provisional
    assert lines["first_response"].due_local.startswith("2026-12-3")
    assert lines["first_response"].provisional is False
    assert lines["resolution"].due_local.startswith("2027-01-")
    assert lines["resolution"].provisional is True
