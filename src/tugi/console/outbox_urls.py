"""The desk's outbox of undelivered mail (K2)."""

from django.urls import path

from . import outbox_views

urlpatterns = [
    path("", outbox_views.outbox, name="outbox"),
    path("<int:pk>/resend/", outbox_views.resend, name="outbox_resend"),
]
