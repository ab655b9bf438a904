"""Signing in and out. Contacts sign in only with approved portal access (K18). Sign-in attempts are
rate-limited per IP address and per username (TUGI_RATELIMIT_SIGNIN_*), so a password cannot be
guessed by trying many: the page then says politely how long to wait, with status 429."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from .access_forms import PortalSignInForm


def _username_key(group, request) -> str:
    # Case and spaces do not make a new username to guess against.
    return "username:" + request.POST.get("username", "").strip().casefold()[:150]


def _signin_wait(request) -> int | None:
    """Seconds to wait when this attempt is one too many, else None. Both counters count every
    attempt, so one address cannot try many usernames and many addresses cannot try one."""
    wait = None
    for group, key, rate in (("signin-ip", "ip", settings.TUGI_RATELIMIT_SIGNIN_IP),
                             ("signin-username", _username_key, settings.TUGI_RATELIMIT_SIGNIN_USERNAME)):
        usage = get_usage(request, group=group, key=key, rate=rate, method="POST", increment=True)
        if usage is not None and usage["should_limit"]:
            wait = max(wait or 0, usage["time_left"], 1)
    return wait


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

    def post(self, request, *args, **kwargs):
        wait = _signin_wait(request)
        if wait is None:
            return super().post(request, *args, **kwargs)
        # The password is not even checked: the form comes back with the username kept.
        form = self.get_form_class()(request, data={"username": request.POST.get("username", "")})
        form.errors.clear()
        form.add_error(None, _("Too many sign-in attempts. For your account's safety, please wait %(seconds)s "
                               "seconds and try again.") % {"seconds": wait})
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(wait)
        return response
