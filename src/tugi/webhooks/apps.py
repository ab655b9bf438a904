from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "tugi.webhooks"
    label = "webhooks"
    verbose_name = "Outgoing webhooks"
