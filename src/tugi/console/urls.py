from django.urls import include, path

from . import views

app_name = "console"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("views/", views.saved_view_create, name="saved_view_create"),
    path("views/<int:pk>/delete/", views.saved_view_delete, name="saved_view_delete"),
    path("tickets/<str:reference>/", views.ticket_detail, name="ticket"),
    path("tickets/<str:reference>/<slug:action>/", views.ticket_action, name="ticket_action"),
    path("phone/", views.phone, name="phone"),
    path("search/", views.search, name="search"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("cis/<int:pk>/", views.ci_detail, name="ci"),
    path("kb/", include("tugi.console.kb_urls")),
    path("access/", include("tugi.console.access_urls")),
    path("", include("tugi.console.visits_urls")),
    path("", include("tugi.console.plans_urls")),
    path("", include("tugi.console.dialogue_urls")),
    path("", include("tugi.console.costs_urls")),
    path("", include("tugi.console.remote_urls")),
    path("", include("tugi.console.worklog_urls")),
    path("reports/", include("tugi.console.reports_urls")),
    path("mail/", include("tugi.console.mail_urls")),
    path("outbox/", include("tugi.console.outbox_urls")),
    path("monitoring/", include("tugi.console.monitoring_urls")),
    path("calls/", include("tugi.console.phone_urls")),
    path("webhooks/", include("tugi.console.webhooks_urls")),
]
