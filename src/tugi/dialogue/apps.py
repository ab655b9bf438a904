from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    name = "tugi.dialogue"
    label = "dialogue"
    verbose_name = _("Questions, satisfaction and priority requests")

    def ready(self):
        from tugi.core import periodic

        from .services import questions_remind, tickets_auto_close

        periodic.register("dialogue.remind_questions", questions_remind)
        periodic.register("dialogue.auto_close_resolved", tickets_auto_close)
