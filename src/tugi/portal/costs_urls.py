"""Pages and actions of the costs flow in the portal: deciding on a cost (K16), ordering (K20)."""

from django.urls import path

from . import costs_views

urlpatterns = [
    path("costs/tickets/<str:reference>/notices/<int:pk>/<slug:decision>/", costs_views.decide,
         name="costs_decide"),
    path("costs/order/", costs_views.order, name="costs_order"),
]
