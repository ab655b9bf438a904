from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "tugi.sla"
    label = "sla"
    verbose_name = _("Service levels (SLA)")

    def ready(self):
        from tugi.core import periodic

        from . import signals
        from .escalation import sla_escalations_run
        from .services import escalation_steps

        signals.connect()
        escalation_steps()  # a mistyped TUGI_SLA_ESCALATION stops the start, not the first escalation
        periodic.register("sla.escalate", sla_escalations_run)
