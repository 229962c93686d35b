import pytest

from tests.portal.conftest import (  # noqa: F401
    _english,
    _uploads_in_a_fresh_directory,
    portal,
    second_talent,
    sign_in,
    waiting_ticket,
)


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """The checks run in this process (with a broker configured, they would be queued for
    a worker these tests do not start)."""
    from config.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager
