from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "tugi.plans"
    label = "plans"
    verbose_name = _("Plans, steps and risks")

    def ready(self):
        from tugi.tickets.guards import register_guard
        from tugi.tickets.lifecycle import Action

        from .services import approximate_time_before_start

        # K8: work on a mission-critical service or CI starts only once the client has a time.
        register_guard(Action.START, approximate_time_before_start)
