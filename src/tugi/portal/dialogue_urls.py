"""Pages and actions of the dialogue flow in the portal (K11, K15)."""

from django.urls import path

from . import dialogue_views as views

urlpatterns = [
    path("tickets/<str:reference>/dialogue/ask/", views.dialogue_ask, name="dialogue_ask"),
    path("tickets/<str:reference>/dialogue/questions/<int:pk>/answer/", views.dialogue_answer,
         name="dialogue_answer"),
    path("tickets/<str:reference>/dialogue/priority/", views.dialogue_priority, name="dialogue_priority"),
    path("tickets/<str:reference>/dialogue/satisfaction/", views.dialogue_satisfaction,
         name="dialogue_satisfaction"),
]
