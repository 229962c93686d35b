from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo centre (``manage.py seed_demo``), built through the real services. It sits
    above every other app, as a user of them all."""

    name = "demo"
