"""Deciding on portal access: the service-catalogue owner's consent (K18)."""

from django.urls import path

from . import access_views

urlpatterns = [
    path("", access_views.access_list, name="access_list"),
    path("<int:pk>/", access_views.access_request_detail, name="access_request_detail"),
    path("<int:pk>/approve/", access_views.access_approve, name="access_approve"),
    path("<int:pk>/refuse/", access_views.access_refuse, name="access_refuse"),
    path("contacts/<int:contact_id>/request/", access_views.access_request_for_contact,
         name="access_request_for_contact"),
    path("contacts/<int:contact_id>/withdraw/", access_views.access_withdraw, name="access_withdraw"),
]
