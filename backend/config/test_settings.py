"""The test suite's settings: the project's, plus two things only tests want.

pytest-django loads this module (``DJANGO_SETTINGS_MODULE`` in ``pyproject.toml``); the
Celery workers the integration tests start inherit it.
"""

from config.env import env_str
from config.settings import *  # noqa: F403

# Tests create many users; PBKDF2's deliberate slowness buys nothing there.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No collectstatic before a test run: plain static files storage, whatever DEBUG is.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# pytest-django runs with DEBUG off, where the start-up checks (core.checks) refuse a
# loopback or plain-http public address: links in the tests' messages use a public one.
TALENTDESK_PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "https://status.example.gov.cn")
