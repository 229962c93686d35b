"""The words of a routing decision: its rules and, from the ``data`` stored with it, the
reason in the reader's language.

``tickets.routing`` makes the decisions; the reason is rendered here, below the tickets, so
that the in-app notices (``notifications``) can say it again in each reader's language.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.i18n import pick
from flows.registry import current_workflows
from talents.models import Language

DEDICATED = "dedicated"
BACKUP = "backup"
LEAST_WORK = "least_work"
QUEUE = "queue"

# Why the dedicated officer (or backup) was passed over.
OFF_DUTY = "off_duty"
AT_CAPACITY = "at_capacity"
EXCLUDED = "excluded"  # being handed over away from them
INACTIVE = "inactive"
OTHER_CENTRE = "other_centre"  # works at another centre than the ticket's
NO_DEDICATED = "none"


def _because_text(because: str | None) -> str:
    return {
        OFF_DUTY: _("dedicated officer off duty"),
        AT_CAPACITY: _("dedicated officer at capacity"),
        EXCLUDED: _("dedicated officer handing over"),
        INACTIVE: _("dedicated officer unavailable"),
        OTHER_CENTRE: _("dedicated officer works at another centre"),
        NO_DEDICATED: _("no dedicated officer"),
    }.get(because or "", "")


def _skill_name(key: str) -> str:
    """A skill (a workflow key) as the category's name in the reader's language."""
    workflow = current_workflows().get(key or "")
    return str(workflow.name) if workflow is not None else (key or "")


def _language_name(code: str) -> str:
    """A language code as its name in the reader's language (中文 / English)."""
    return str(Language(code).label) if code in Language.values else (code or "")


def describe(data: dict) -> str:
    """The reason of a decision in the active language, from its stored ``data``.

    The wording follows the issue: "dedicated officer", "backup: dedicated officer off
    duty", "least open work with skill schooling and language en", each naming the officer;
    the skill and the language are shown by name (落户 / Household registration, 中文 /
    English), as the reader's language has them.
    """
    rule = data.get("rule")
    name = data.get("officer_name", "")
    data = {**data, "skill": _skill_name(data.get("skill", "")),
            "language": _language_name(data.get("language", ""))}
    if rule == DEDICATED:
        return _("dedicated officer: %(name)s") % {"name": name}
    if rule == BACKUP:
        return _("backup: %(because)s: %(name)s") % {
            "because": _because_text(data.get("because")), "name": name}
    if rule == LEAST_WORK:
        return _("least open work with skill %(skill)s and language %(language)s: %(name)s") % {
            "skill": data.get("skill", ""), "language": data.get("language", ""), "name": name}
    window = pick(data.get("window_zh", ""), data.get("window_en", ""))
    if window:
        return _(
            "no officer available with skill %(skill)s and language %(language)s: waiting in "
            "the queue of %(window)s; supervisor notified"
        ) % {"skill": data.get("skill", ""), "language": data.get("language", ""), "window": window}
    return _(
        "no officer available with skill %(skill)s and language %(language)s: waiting in "
        "the centre's queue; supervisor notified"
    ) % {"skill": data.get("skill", ""), "language": data.get("language", "")}
