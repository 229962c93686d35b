from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrereviewConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "prereview"
    verbose_name = _("pre-review")
