"""The call pop of the console (K13): the agent's current call, logging it on a ticket."""

from django.urls import path

from . import phone_views

urlpatterns = [
    path("current/", phone_views.current, name="calls_current"),
    path("<int:pk>/log/", phone_views.log_call, name="calls_log"),
    path("<int:pk>/ticket/", phone_views.open_ticket, name="calls_ticket"),
]
