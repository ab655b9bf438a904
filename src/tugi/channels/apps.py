from django.apps import AppConfig
from django.conf import settings


class ChannelsConfig(AppConfig):
    name = "tugi.channels"
    label = "channels"
    verbose_name = "Channels"

    def ready(self) -> None:
        # Configured mailboxes are polled by `tugi periodic` like every other clock-driven job (K14);
        # `tugi mail imap --loop N` does the same in a process of its own.
        if settings.TUGI_IMAP_MAILBOXES:
            from tugi.core import periodic

            from .email.imap import mailboxes_poll

            periodic.register("channels.imap_poll", lambda: sum(result.stored for result in mailboxes_poll()))
