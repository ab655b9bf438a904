from django.apps import AppConfig


class CostsConfig(AppConfig):
    name = "tugi.costs"
    label = "costs"

    def ready(self) -> None:
        from tugi.tickets.guards import register_guard
        from tugi.tickets.lifecycle import Action

        from .services import cost_accepted_before_start

        # K16: chargeable work does not start before the client accepts the cost.
        register_guard(Action.START, cost_accepted_before_start)
