"""Names of the events messages are sent for, as staff read them next to a message."""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "ticket_opened": _("request received"),
    "material_requested": _("documents requested"),
    "reply": _("reply to the talent"),
    "resolved": _("request done"),
    "status_changed": _("status update"),
    "access_code": _("reference and access code"),
    "one_time_notice": _("one-time notice"),
    "queued": _("waiting in the queue"),
    "sla_warning": _("deadline approaching"),
    "sla_breach": _("deadline missed"),
}


def event_label(event: str) -> str:
    return str(EVENT_LABELS.get(event, event))
