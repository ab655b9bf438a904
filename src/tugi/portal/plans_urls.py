"""Pages and actions of the plans flow in the portal (K5 K6 K8 K10)."""

from django.urls import path

from . import plans_views as views

urlpatterns = [
    path("tickets/<str:reference>/plan/versions/", views.plan_history, name="plans_history"),
    path("tickets/<str:reference>/plan/expectations/", views.expectations, name="plans_expectations"),
    path("tickets/<str:reference>/plan/wishes/", views.wishes, name="plans_wishes"),
    path("tickets/<str:reference>/plan/steps/<int:pk>/confirm/", views.step_confirm, name="plans_step_confirm"),
    path("tickets/<str:reference>/plan/steps/<int:pk>/not-working/", views.step_not_working,
         name="plans_step_not_working"),
]
