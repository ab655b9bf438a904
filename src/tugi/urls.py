from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tugi.api.urls import api

urlpatterns = [
    path("", include("tugi.portal.urls")),
    path("signin/", auth_views.LoginView.as_view(template_name="portal/signin.html"), name="signin"),
    path("signout/", auth_views.LogoutView.as_view(), name="signout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
