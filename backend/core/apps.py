from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"

    def ready(self) -> None:
        from core import checks, converters, history_guard, logs  # noqa: F401 - checks registers them

        converters.register()  # before any urls module is imported
        # After every migrate: history is append-only (see core.history_guard).
        logs.connect_signals()  # the request id travels with the tasks it queues
        post_migrate.connect(history_guard.after_migrate, dispatch_uid="core.history_guard")
