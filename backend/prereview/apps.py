from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrereviewConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "prereview"
    verbose_name = _("pre-review")

    def ready(self) -> None:
        # Supervisors are told of a new possible duplicate when a talent record is saved.
        from prereview import duplicate_watch  # noqa: F401 - registers the receiver
