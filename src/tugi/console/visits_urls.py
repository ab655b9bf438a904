"""Pages and actions of the visits flow in the console: access the work needs (K4), appointments
with the client and the internal planned work time (K21)."""

from django.urls import path

from . import visits_views

urlpatterns = [
    path("tickets/<str:reference>/access/add/", visits_views.access_add, name="visits_access_add"),
    path("tickets/<str:reference>/access/<int:pk>/confirm/", visits_views.access_confirm,
         name="visits_access_confirm"),
    path("tickets/<str:reference>/access/<int:pk>/withdraw/", visits_views.access_withdraw,
         name="visits_access_withdraw"),
    path("tickets/<str:reference>/appointments/plan/", visits_views.appointment_plan, name="visits_appointment_plan"),
    path("tickets/<str:reference>/appointments/<int:pk>/change/", visits_views.appointment_change,
         name="visits_appointment_change"),
    path("tickets/<str:reference>/appointments/<int:pk>/cancel/", visits_views.appointment_cancel,
         name="visits_appointment_cancel"),
    path("tickets/<str:reference>/planned-work/set/", visits_views.planned_work, name="visits_planned_work"),
]
