"""Actions of time accounting in the portal (K12)."""

from django.urls import path

from . import worklog_views

urlpatterns = [
    path("worklog/tickets/<str:reference>/entries/<int:pk>/dispute/", worklog_views.dispute, name="worklog_dispute"),
]
