from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tugi.api"
    label = "api"
