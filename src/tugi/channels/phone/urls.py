"""Call events from the telephony system (K13)."""
from django.urls import path

from . import views

app_name = "phone"

urlpatterns = [
    path("events", views.events, name="events"),
]
