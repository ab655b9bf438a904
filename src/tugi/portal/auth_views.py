"""Signing in and out."""

from django.contrib.auth import views as auth_views


class SignInView(auth_views.LoginView):
    template_name = "portal/signin.html"
    redirect_authenticated_user = True
