"""Start-up checks of the mail and SMS delivery settings (tag ``startup``, see core.checks).

A backend whose required settings are missing fails every message at delivery time, hours
after the deployment; with DEBUG off it stops start-up instead, naming the setting.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string

from core.checks import STARTUP

# The settings each mail backend cannot work without.
MAIL_REQUIRED = {
    "django.core.mail.backends.filebased.EmailBackend": ("EMAIL_FILE_PATH",),
    "django.core.mail.backends.smtp.EmailBackend": ("EMAIL_HOST", "EMAIL_PORT"),
}


def _missing(names) -> list[str]:
    return [name for name in names if not getattr(settings, name, None)]


def mail_problems() -> list[str]:
    """What is wrong with the mail settings, in words (empty: nothing)."""
    backend = settings.EMAIL_BACKEND
    try:
        import_string(backend)
    except ImportError as exc:
        return [f"EMAIL_BACKEND {backend!r} cannot be imported ({exc})."]
    problems = [f"EMAIL_BACKEND {backend!r} needs {name}, which is not set."
                for name in _missing(MAIL_REQUIRED.get(backend, ()))]
    if bool(settings.EMAIL_HOST_USER) != bool(settings.EMAIL_HOST_PASSWORD) and \
            backend == "django.core.mail.backends.smtp.EmailBackend":
        problems.append("EMAIL_HOST_USER and EMAIL_HOST_PASSWORD are set together or not at all.")
    return problems


def sms_problems() -> list[str]:
    """What is wrong with the SMS settings: the backend must import, and the settings it
    declares (``required_settings``) must be set."""
    backend = settings.SMS_BACKEND
    try:
        cls = import_string(backend)
    except ImportError as exc:
        return [f"SMS_BACKEND {backend!r} cannot be imported ({exc})."]
    return [f"SMS_BACKEND {backend!r} needs {name}, which is not set."
            for name in _missing(getattr(cls, "required_settings", ()))]


@register(STARTUP)
def check_delivery_settings(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    return [Error(problem, hint="Set it in the environment, or choose another backend.",
                  id="notifications.E001") for problem in mail_problems()] + [
        Error(problem, hint="Set it in the environment, or choose another backend.",
              id="notifications.E002") for problem in sms_problems()]
