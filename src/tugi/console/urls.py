from django.urls import include, path

from . import views

app_name = "console"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("phone/", views.phone, name="phone"),
    path("search/", views.search, name="search"),
    path("kb/", include("tugi.console.kb_urls")),
    path("access/", include("tugi.console.access_urls")),
]
