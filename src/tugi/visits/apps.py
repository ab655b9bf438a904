from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "tugi.visits"
    label = "visits"
    verbose_name = _("Access and visits")

    def ready(self) -> None:
        # K4: work cannot start while an access the work needs is unconfirmed by the client.
        from tugi.tickets.guards import register_guard
        from tugi.tickets.lifecycle import Action

        from .services import access_missing

        register_guard(Action.START, access_missing)
