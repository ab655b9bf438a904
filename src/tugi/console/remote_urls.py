"""Pages and actions of the remote flow in the console: reveal or revoke a remote account (K19),
record another party's work on an item (K9)."""

from django.urls import path

from . import remote_views

urlpatterns = [
    path("tickets/<str:reference>/remote/<int:pk>/reveal/", remote_views.remote_reveal, name="remote_reveal"),
    path("tickets/<str:reference>/remote/<int:pk>/revoke/", remote_views.remote_revoke, name="remote_revoke"),
    path("tickets/<str:reference>/third-party-work/declare/", remote_views.remote_third_party_ticket,
         name="remote_third_party_ticket"),
    path("cis/<int:pk>/third-party-work/declare/", remote_views.remote_third_party_ci,
         name="remote_third_party_ci"),
]
