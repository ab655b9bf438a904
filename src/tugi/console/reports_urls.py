"""The desk's reports (issue 5), under /console/reports/: each page and its CSV export."""

from django.urls import path

from . import reports_views as views

urlpatterns = [
    path("", views.reports_index, name="reports"),
    path("sla/", views.reports_sla, name="reports_sla"),
    path("sla.csv", views.reports_sla_csv, name="reports_sla_csv"),
    path("backlog/", views.reports_backlog, name="reports_backlog"),
    path("backlog.csv", views.reports_backlog_csv, name="reports_backlog_csv"),
    path("time/", views.reports_time, name="reports_time"),
    path("time.csv", views.reports_time_csv, name="reports_time_csv"),
    path("disputes/", views.reports_disputes, name="reports_disputes"),
    path("disputes.csv", views.reports_disputes_csv, name="reports_disputes_csv"),
]
