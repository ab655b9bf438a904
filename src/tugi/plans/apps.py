from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "tugi.plans"
    label = "plans"
