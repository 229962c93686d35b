"""The suite's one clock helper.

A test whose outcome depends on the date or the time of day (deadlines in working time,
"today", report periods, holidays, the year's calendar, token and session ages) pins the
clock with the ``clock`` marker, on the test or on its module::

    pytestmark = pytest.mark.clock                      # WORKING_MORNING, ticking
    @pytest.mark.clock("2026-10-01 18:00")              # Shanghai time unless a zone is given
    @pytest.mark.clock(SUNDAY_BEFORE_OPENING, tick=False)

and asks for the ``clock_travel`` fixture to move it (``clock_travel.shift(timedelta(...))``
or ``clock_travel.move_to(...)``). time-machine replaces Python's clock (``time.time``,
``datetime.now``...), so the service clock (``core.clock.now``), Django's
``timezone.now`` and signing all see the pinned instant; it also works under libfaketime,
which CI uses to run the suite at awkward real instants (``.ci/run``).

Without the marker a test runs on the real clock and must not care what day it is.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    """``at("2026-12-02 10:00")``: an instant in Shanghai time (or in the zone given)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


# An ordinary Wednesday mid-morning: a working day, the centre open, the year known to the
# calendar. What a test gets when it only needs "some normal working moment".
WORKING_MORNING = at("2026-12-02 10:00")


def travel(instant: datetime | str = WORKING_MORNING, *, tick: bool = True):
    """A time-machine traveller to ``instant`` (a context manager; ``.shift``, ``.move_to``)."""
    return time_machine.travel(at(instant) if isinstance(instant, str) else instant, tick=tick)
