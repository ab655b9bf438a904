from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "tugi.channels.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        from tugi.core.periodic import register

        from .services import alerts_summarise

        # Repeats of an alert are counted, not written: this tells each ticket about them once in a while.
        register("monitoring.summarise_repeats", lambda: alerts_summarise())
