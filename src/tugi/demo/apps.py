from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and data at scale: adapters that fill the database through the services."""

    name = "tugi.demo"
    label = "demo"
