from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "tugi.channels"
    label = "channels"
    verbose_name = "Channels"
