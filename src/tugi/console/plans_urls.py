"""Pages and actions of the plans flow in the console (K5 K6 K8 K10)."""

from django.urls import path

from . import plans_views as views

T = "tickets/<str:reference>/plan/"

urlpatterns = [
    path(T + "write/", views.plan_write, name="plans_plan_write"),
    path(T + "expectations/", views.expectations, name="plans_expectations"),
    path(T + "wishes/", views.wishes, name="plans_wishes"),
    path(T + "approximate/", views.approximate, name="plans_approximate"),
    path(T + "steps/add/", views.step_add, name="plans_step_add"),
    path(T + "steps/<int:pk>/edit/", views.step_edit, name="plans_step_edit"),
    path(T + "steps/<int:pk>/move/", views.step_move, name="plans_step_move"),
    path(T + "steps/<int:pk>/done/", views.step_done, name="plans_step_done"),
    path(T + "risks/add/", views.risk_add, name="plans_risk_add"),
    path(T + "risks/<int:pk>/edit/", views.risk_edit, name="plans_risk_edit"),
]
