from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "tugi.channels.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"
