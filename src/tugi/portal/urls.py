from django.urls import include, path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("", include("tugi.portal.kb_urls")),
    path("", include("tugi.portal.access_urls")),
]
