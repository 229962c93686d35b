"""Configuring a centre's windows: every change with who and why in the window's history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centres.models import ServiceCentre, Window
from core import clock


@transaction.atomic
def window_save(*, centre: ServiceCentre, actor, reason: str, window: Window | None = None, code: str,
                name_zh: str, name_en: str, categories: list[str], is_active: bool = True) -> Window:
    """Create a window at ``centre`` (``window`` None) or change one of its windows.

    ``categories`` are workflow keys the caller offered (the page's checkboxes). A code
    already used at the centre, or a window of another centre, raises ValidationError
    naming the field; nothing is written then. The history row carries ``actor`` and
    ``reason``."""
    if window is not None and window.centre_id != centre.pk:
        raise ValidationError({"code": [_("This window belongs to another centre.")]})
    taken = Window.objects.filter(centre=centre, code=code)
    if window is not None:
        taken = taken.exclude(pk=window.pk)
    if taken.exists():
        raise ValidationError({"code": [_("Another window of this centre already uses this code.")]})
    window = window or Window(centre=centre)
    window.code, window.name_zh, window.name_en = code, name_zh.strip(), name_en.strip()
    window.categories = sorted(set(categories))
    window.is_active = is_active
    window.full_clean()
    window._history_user = actor
    window._history_date = clock.now()
    window._change_reason = (reason.strip() or _("window settings"))[:100]
    window.save()
    return window
