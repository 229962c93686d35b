"""The named system user that changes made by tasks and commands are attributed to."""

from django.conf import settings
from django.contrib.auth import get_user_model


def system_user():
    """Return (creating once) the inactive user that stands for talentdesk itself.

    History rows written inside Celery tasks or management commands carry this user,
    so the audit trail never shows a blank actor.
    """
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username=settings.TALENTDESK_SYSTEM_USERNAME,
        defaults={"is_active": False, "first_name": "talentdesk", "last_name": "system"},
    )
    return user
