from django.apps import AppConfig


class WorklogConfig(AppConfig):
    name = "tugi.worklog"
    label = "worklog"
    verbose_name = "Time accounting"
