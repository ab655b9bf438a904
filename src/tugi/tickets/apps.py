from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tugi.tickets"
    label = "tickets"
    verbose_name = _("Tickets")

    def ready(self):
        from tugi.core import periodic

        from . import guards  # noqa: F401  (registers the tickets app's own guards)
        from .services import tickets_resume_postponed

        periodic.register("tickets.resume_postponed", tickets_resume_postponed)
