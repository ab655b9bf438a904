from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tugi.reports"
    label = "reports"
    verbose_name = "Reports"
