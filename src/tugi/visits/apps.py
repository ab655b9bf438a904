from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "tugi.visits"
    label = "visits"
