from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from reports import signals
        from reports.facts import rating_model
        from tickets.models import Ticket

        post_save.connect(signals.ticket_saved, sender=Ticket, dispatch_uid="reports.ticket_saved")
        rating = rating_model()
        if rating is not None:
            post_save.connect(signals.rating_saved, sender=rating, dispatch_uid="reports.rating_saved")
            post_delete.connect(signals.rating_saved, sender=rating, dispatch_uid="reports.rating_gone")
