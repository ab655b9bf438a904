"""Asking for portal access and choosing the first password (K18)."""

from django.urls import path

from . import access_views

urlpatterns = [
    path("access/request/", access_views.access_request, name="access_request"),
    path("access/request/sent/", access_views.access_request_sent, name="access_request_sent"),
    path(
        "access/set-password/<uidb64>/<token>/",
        access_views.AccessSetPasswordView.as_view(),
        name="access_set_password",
    ),
    path("access/set-password/done/", access_views.access_set_password_done, name="access_set_password_done"),
]
