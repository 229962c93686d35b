from django.apps import AppConfig


class FlowsConfig(AppConfig):
    name = "flows"

    def ready(self) -> None:
        from flows import checks  # noqa: F401  (registers the system checks)
