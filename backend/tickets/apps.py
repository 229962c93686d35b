from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"

    def ready(self) -> None:
        # The calendar-years check and the recompute after a calendar override.
        from tickets import checks, signals  # noqa: F401 - registers the check and the receivers
