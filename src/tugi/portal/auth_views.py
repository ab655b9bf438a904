"""Signing in and out. Contacts sign in only with approved portal access (K18)."""

from django.contrib.auth import logout
from django.contrib.auth import views as auth_views

from .access_forms import PortalSignInForm


class SignInView(auth_views.LoginView):
    template_name = "portal/signin.html"
    authentication_form = PortalSignInForm

    def dispatch(self, request, *args, **kwargs):
        # Only someone who may act is sent on; a session whose access was withdrawn (or a deactivated
        # staff member's) is ended here, so the page shows the form and the polite reason instead of
        # sending them round between the portal and this page.
        self.redirect_authenticated_user = request.actor.is_authenticated
        if request.user.is_authenticated and not request.actor.is_authenticated:
            logout(request)
        return super().dispatch(request, *args, **kwargs)
