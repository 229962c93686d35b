"""SLA tests share the in-process Celery fixture of the notification tests."""

from tests.notifications.conftest import in_process_tasks  # noqa: F401 - a fixture
