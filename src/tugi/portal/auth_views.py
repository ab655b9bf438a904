"""Signing in and out. Contacts sign in only with approved portal access (K18)."""

from django.contrib.auth import views as auth_views

from .access_forms import PortalSignInForm


class SignInView(auth_views.LoginView):
    template_name = "portal/signin.html"
    authentication_form = PortalSignInForm
    redirect_authenticated_user = True
