"""Signing in and out. Contacts sign in only with approved portal access (K18). Failed sign-in
attempts are rate-limited per IP address and per username (TUGI_RATELIMIT_SIGNIN_*), so a password
cannot be guessed by trying many: the page then says politely how long to wait, with status 429."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_ratelimit.core import _get_ip, _get_window, _make_cache_key, _split_rate, get_usage

from .access_forms import PortalSignInForm


def _username_key(group, request) -> str:
    # Case and spaces do not make a new username to guess against.
    return "username:" + request.POST.get("username", "").strip().casefold()[:150]


def _ip_key(group, request) -> str:
    # The library's reading of the address, which follows RATELIMIT_IP_META_KEY behind a proxy.
    return str(_get_ip(request))


LIMITS = (("signin-ip", _ip_key, "TUGI_RATELIMIT_SIGNIN_IP"),
          ("signin-username", _username_key, "TUGI_RATELIMIT_SIGNIN_USERNAME"))


def _count_attempt(request) -> int | None:
    """Every attempt is counted before its password is checked, per IP address and per username, so
    many attempts sent at once cannot all pass a count that only failures would raise; a successful
    one is taken back (_forget_attempt), so someone who signs in often is never held up, while one
    address cannot try many usernames nor many addresses one. Seconds to wait when either count is
    over its limit, else None."""
    wait = None
    for group, key, setting in LIMITS:
        usage = get_usage(request, group=group, key=key, rate=getattr(settings, setting), method="POST",
                          increment=True)
        if usage is not None and usage["should_limit"]:
            wait = max(wait or 0, usage["time_left"], 1)
    return wait


def _forget_attempt(request) -> None:
    """Take a successful attempt back out of the counts (the same keys get_usage made)."""
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return
    cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    for group, key, setting in LIMITS:
        rate = getattr(settings, setting)
        value = key(group, request)
        cache_key = _make_cache_key(group, _get_window(value, _split_rate(rate)[1]), rate, value, "POST")
        try:
            if (cache.get(cache_key) or 0) > 0:
                cache.decr(cache_key)
        except ValueError:  # the window ran out meanwhile: nothing to take back
            pass


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
        wait = _count_attempt(request)
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

    def form_valid(self, form):
        _forget_attempt(self.request)
        return super().form_valid(form)


def admin_sign_in(request):
    """The admin's sign-in address. Its own form would let a password be guessed without limit, so
    a visitor goes to Tugi's sign-in page (with the same next). Someone signed in is here because the
    admin turned them away: sending them to sign in again would go round for ever, so they are told."""
    if request.user.is_authenticated:
        raise PermissionDenied
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("signin") + (f"?{query}" if query else ""))
