from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "tugi.console"
    label = "console"
