"""Pages and actions of time accounting in the console (K12)."""

from django.urls import path

from . import worklog_views

urlpatterns = [
    path("worklog/tickets/<str:reference>/entries/", worklog_views.log_time, name="worklog_log"),
    path("worklog/tickets/<str:reference>/disputes/<int:pk>/answer/", worklog_views.answer, name="worklog_answer"),
    path("worklog/disputes/", worklog_views.disputes, name="worklog_disputes"),
]
