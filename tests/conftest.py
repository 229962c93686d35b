"""Personas with fixed roles, shared by every test: a window clerk, two officers, a
supervisor and an outsider at the city centre, and a talent whose dedicated officer is
``officer``. Tests read as what these people may and may not do."""

import pytest
from django.core.cache import cache

from staff.models import Role
from tests import clock as test_clock
from tests.factories import (
    CentreFactory,
    OfficerFactory,
    TalentFactory,
    UserFactory,
    WindowFactory,
)

pytest_plugins = ["tests.browser"]

@pytest.fixture(autouse=True)
def clock_travel(request):
    """Pins the clock for tests marked ``clock`` (see ``tests/clock.py``); the traveller,
    or None on the real clock. Autouse, so the clock is pinned before any data is made."""
    marker = request.node.get_closest_marker("clock")
    if marker is None:
        yield None
        return
    with test_clock.travel(*marker.args, **marker.kwargs) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _sign_in_rules_only_where_tested(request, settings):
    """The production sign-in rules — two factors for supervisors and administrators, staff
    sessions ending after 30 minutes idle / 12 hours, API tokens expiring after 7 days —
    are tested by the tests marked ``sign_in_rules`` (tests/accounts, the two-factor browser
    test). Elsewhere personas are signed in with ``force_login`` or a token to test what a
    role may do, often under a clock pinned far from the sign-in, so those rules are off."""
    if request.node.get_closest_marker("sign_in_rules") is None:
        settings.TALENTDESK_TWO_FACTOR_ROLES = []
        settings.TALENTDESK_STAFF_SESSION_IDLE = settings.TALENTDESK_STAFF_SESSION_MAX_AGE = 10**9
        settings.TALENTDESK_API_TOKEN_MAX_AGE = 10**9


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def centre(db):
    return CentreFactory(code="city", name_zh="市人才服务中心", name_en="City Talent Centre")


@pytest.fixture
def other_centre(db):
    return CentreFactory(code="offshore", name_zh="离岸基地服务站", name_en="Offshore Service Point")


@pytest.fixture
def window(centre):
    return WindowFactory(centre=centre, code="returnee", name_zh="海外留学人员服务窗口",
                         name_en="Overseas Returnee Window")


@pytest.fixture
def other_window(other_centre):
    return WindowFactory(centre=other_centre, code="entry_exit", name_zh="出入境窗口",
                         name_en="Entry-Exit Window")


def _persona(username, display, role, centre, windows):
    return OfficerFactory(
        user=UserFactory(username=username), display_name=display, role=role, centre=centre,
        windows=windows,
    )


@pytest.fixture
def clerk(centre, window):
    return _persona("clerk", "陈静 Chen Jing", Role.WINDOW_STAFF, centre, [window])


@pytest.fixture
def officer(centre, window):
    return _persona("officer", "张伟 Zhang Wei", Role.OFFICER, centre, [window])


@pytest.fixture
def second_officer(centre, window):
    return _persona("officer2", "李娜 Li Na", Role.OFFICER, centre, [window])


@pytest.fixture
def supervisor(centre, window):
    return _persona("supervisor", "王丽 Wang Li", Role.SUPERVISOR, centre, [window])


@pytest.fixture
def admin_officer(centre):
    officer = _persona("admin", "Admin", Role.ADMIN, centre, [])
    officer.user.is_superuser = officer.user.is_staff = True
    officer.user.save()
    return officer


@pytest.fixture
def outsider(other_centre, other_window):
    """An officer of another centre: sees nothing of the city centre."""
    return _persona("outsider", "赵敏 Zhao Min", Role.OFFICER, other_centre, [other_window])


@pytest.fixture
def talent(officer):
    return TalentFactory(native_name="王思远", latin_name="Wang Siyuan", document_number="E12345678",
                         dedicated_officer=officer)


@pytest.fixture
def open_ticket(clerk, talent, window):
    """A settlement ticket opened at the window by the clerk (routed to ``officer``)."""
    from tickets.services import ticket_open

    return ticket_open(
        actor=clerk.user, talent=talent, category="settlement", channel="window",
        subject="Household registration", description="Moving with my family", window=window,
    ).ticket


@pytest.fixture
def upload_root(settings, tmp_path):
    """Talents' uploads in a fresh directory: the file-system storage of STORAGES["default"]
    pointed there (and UPLOAD_ROOT with it)."""
    root = tmp_path / "uploads"
    settings.UPLOAD_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(root), "file_permissions_mode": 0o640}},
    }
    return root


@pytest.fixture(autouse=True)
def _workflow_pins_forgotten():
    """The process remembers committed workflow pins; a flushed test database has none."""
    from flows import registry

    registry._pinned.clear()
