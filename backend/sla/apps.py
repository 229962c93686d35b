from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = _("deadlines")

    def ready(self) -> None:
        from sla import checks, signals  # noqa: F401 - registers the check and the receivers
