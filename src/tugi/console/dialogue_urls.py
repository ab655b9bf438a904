"""Pages and actions of the dialogue flow in the console (K11, K15)."""

from django.urls import path

from . import dialogue_views as views

urlpatterns = [
    path("tickets/<str:reference>/dialogue/ask/", views.dialogue_ask, name="dialogue_ask"),
    path("tickets/<str:reference>/dialogue/questions/<int:pk>/answer/", views.dialogue_answer,
         name="dialogue_answer"),
    path("tickets/<str:reference>/dialogue/priority/<int:pk>/decide/", views.dialogue_priority_decide,
         name="dialogue_priority_decide"),
    path("reports/satisfaction/", views.dialogue_satisfaction, name="dialogue_satisfaction"),
    path("reports/satisfaction.csv", views.dialogue_satisfaction_csv, name="dialogue_satisfaction_csv"),
]
