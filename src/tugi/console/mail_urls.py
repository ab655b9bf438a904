"""The incoming mail and its quarantine (K14): staff only."""

from django.urls import path

from . import mail_views

urlpatterns = [
    path("", mail_views.inbox, name="mail"),
    path("<int:pk>/", mail_views.message, name="mail_message"),
    path("<int:pk>/raw/", mail_views.raw, name="mail_raw"),
    path("<int:pk>/retry/", mail_views.retry, name="mail_retry"),
    path("<int:pk>/discard/", mail_views.discard, name="mail_discard"),
]
