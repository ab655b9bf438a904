from django.apps import AppConfig


class RemoteConfig(AppConfig):
    name = "tugi.remote"
    label = "remote"
