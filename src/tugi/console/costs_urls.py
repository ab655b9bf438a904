"""Pages and actions of the costs flow in the console: extra cost (K16) and orders (K20)."""

from django.urls import path

from . import costs_views

urlpatterns = [
    path("costs/tickets/<str:reference>/chargeable/", costs_views.set_chargeable, name="costs_chargeable"),
    path("costs/tickets/<str:reference>/notices/", costs_views.notice_create, name="costs_notice_create"),
    path("costs/tickets/<str:reference>/notices/<int:pk>/amount/", costs_views.notice_amount,
         name="costs_notice_amount"),
    path("costs/tickets/<str:reference>/consult/", costs_views.consult, name="costs_consult"),
    path("costs/consultations/", costs_views.consultations, name="costs_consultations"),
    path("costs/consultations/<int:pk>/answer/", costs_views.consultation_answer, name="costs_consultation_answer"),
    path("costs/order/", costs_views.order, name="costs_order"),
]
