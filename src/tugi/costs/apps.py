from django.apps import AppConfig


class CostsConfig(AppConfig):
    name = "tugi.costs"
    label = "costs"
