from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "tugi.webhooks"
    label = "webhooks"
    verbose_name = "Outgoing webhooks"

    def ready(self) -> None:
        from tugi.core import periodic

        from .services import webhooks_periodic

        # The outbox reads the audit log for ticket events and hands due deliveries to a worker.
        periodic.register("webhooks.outbox", webhooks_periodic)
