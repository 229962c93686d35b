from django.apps import AppConfig


class TalentsConfig(AppConfig):
    name = "talents"
