from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "tugi.portal"
    label = "portal"
