from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tugi.api.urls import api
from tugi.portal.auth_views import SignInView, admin_sign_in

urlpatterns = [
    # Machines first: a URL is matched against the patterns in order, and the portal's many come
    # under the empty prefix, tried for every address. A monitoring storm should not pay for them.
    path("hooks/monitoring/", include("tugi.channels.monitoring.urls")),
    path("hooks/phone/", include("tugi.channels.phone.urls")),
    path("api/v1/", api.urls),
    path("", include("tugi.portal.urls")),
    path("console/", include("tugi.console.urls")),
    path("signin/", SignInView.as_view(), name="signin"),
    path("signout/", auth_views.LogoutView.as_view(), name="signout"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through Tugi's own page, whose attempts are rate-limited; the admin's own form
    # would let a password be guessed there without limit.
    path("admin/login/", admin_sign_in),
    path("admin/", admin.site.urls),
]
