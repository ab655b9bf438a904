"""Signing in and out. Contacts sign in only with approved portal access (K18). Failed sign-in
attempts are rate-limited per IP address and per username (TUGI_RATELIMIT_SIGNIN_*), so a password
cannot be guessed by trying many: the page then says politely how long to wait, with status 429."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from .access_forms import PortalSignInForm


def _username_key(group, request) -> str:
    # Case and spaces do not make a new username to guess against.
    return "username:" + request.POST.get("username", "").strip().casefold()[:150]


LIMITS = (("signin-ip", "ip", "TUGI_RATELIMIT_SIGNIN_IP"),
          ("signin-username", _username_key, "TUGI_RATELIMIT_SIGNIN_USERNAME"))


def _failed_attempts(request, *, count_this_one: bool) -> int | None:
    """Only failed attempts are counted, per IP address and per username, so someone who signs in
    often is never held up, while one address cannot try many usernames nor many addresses one.
    Seconds to wait when either count has reached its limit, else None."""
    wait = None
    for group, key, setting in LIMITS:
        usage = get_usage(request, group=group, key=key, rate=getattr(settings, setting), method="POST",
                          increment=count_this_one)
        if usage is not None and usage["count"] >= usage["limit"] and not count_this_one:
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
        wait = _failed_attempts(request, count_this_one=False)
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

    def form_invalid(self, form):
        _failed_attempts(self.request, count_this_one=True)
        return super().form_invalid(form)
