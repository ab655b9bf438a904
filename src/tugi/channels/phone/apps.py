from django.apps import AppConfig


class PhoneConfig(AppConfig):
    name = "tugi.channels.phone"
    label = "phone"
    verbose_name = "Support phone"
