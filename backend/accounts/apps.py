from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Staff sign-in: password policy, throttling and lockout, two-factor, API tokens,
    session lifetime."""

    name = "accounts"
    verbose_name = _("sign-in and credentials")


    def ready(self):
        from accounts import sessions, signals  # noqa: F401  (connects the receivers)
