from django.urls import include, path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("tickets/<str:reference>/", views.ticket_detail, name="ticket"),
    path("tickets/<str:reference>/add/", views.ticket_add_information, name="ticket_add"),
    path("tickets/<str:reference>/decide/<slug:decision>/", views.ticket_decide, name="ticket_decide"),
    path("tickets/<str:reference>/files/<int:pk>/", views.attachment, name="attachment"),
    path("", include("tugi.portal.kb_urls")),
    path("", include("tugi.portal.access_urls")),
    path("", include("tugi.portal.visits_urls")),
    path("", include("tugi.portal.plans_urls")),
    path("", include("tugi.portal.dialogue_urls")),
    path("", include("tugi.portal.costs_urls")),
    path("", include("tugi.portal.remote_urls")),
    path("", include("tugi.portal.worklog_urls")),
]
