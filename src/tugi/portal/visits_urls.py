"""Pages and actions of the visits flow in the portal: confirming access (K4), the appointment's
calendar invitation (K21)."""

from django.urls import path

from . import visits_views

urlpatterns = [
    path("tickets/<str:reference>/access/<int:pk>/confirm/", visits_views.access_confirm,
         name="visits_access_confirm"),
    path("tickets/<str:reference>/appointments/<int:pk>/calendar.ics", visits_views.appointment_ics,
         name="visits_appointment_ics"),
]
