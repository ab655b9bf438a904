from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "tugi.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from tugi.core import periodic

        from .services import notifications_retry_due

        periodic.register("notifications.retry_due", notifications_retry_due)
