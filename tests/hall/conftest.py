"""Hall fixtures: the city centre's line A (served by the returnee window) and line B
(served by a second window), on a working Wednesday morning in Shanghai."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from hall.models import ServiceLine
from tests.factories import WindowFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2026, 12, 2, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture
def line_a(centre, window):
    line = ServiceLine.objects.create(centre=centre, prefix="A", name_zh="海外人才专窗",
                                      name_en="Overseas talent window", minutes_per_person=6,
                                      categories=["settlement", "entry_exit", "talent_card"])
    line.windows.set([window])
    return line


@pytest.fixture
def general_window(centre):
    return WindowFactory(centre=centre, code="general", name_zh="综合窗口", name_en="General Window")


@pytest.fixture
def line_b(centre, general_window):
    line = ServiceLine.objects.create(centre=centre, prefix="B", name_zh="综合事项",
                                      name_en="General matters", minutes_per_person=10)
    line.windows.set([general_window])
    return line


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(MORNING, tick=False)
    return MORNING


@pytest.fixture
def plain_user_client(db):
    from django.test import Client

    from tests.factories import UserFactory

    user = UserFactory(username="plain")
    client = Client()
    client.force_login(user)
    return client
