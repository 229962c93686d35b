import pytest


@pytest.fixture
def in_process_tasks():
    """Run Celery tasks in-process even when a broker is configured (no worker here)."""
    from config.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager
