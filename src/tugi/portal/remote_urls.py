"""Pages and actions of the remote flow in the portal: remote support with its account (K19) and
another party's work on an item (K9)."""

from django.urls import path

from . import remote_views

urlpatterns = [
    path("remote/order/", remote_views.remote_order, name="remote_order"),
    path("tickets/<str:reference>/remote/<int:pk>/replace/", remote_views.remote_replace, name="remote_replace"),
    path("tickets/<str:reference>/remote/<int:pk>/revoke/", remote_views.remote_revoke, name="remote_revoke"),
    path("third-party-work/declare/", remote_views.remote_third_party, name="remote_third_party"),
]
