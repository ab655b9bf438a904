from django.conf import settings
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from tugi.directory.actors import actor_for_user

from .models import ApiToken, hash_key


class TokenAuth(HttpBearer):
    """``Authorization: Bearer tugi_...``. Sets ``request.actor`` like the pages' middleware."""

    def authenticate(self, request, token):
        # One query for the token, its user and who the user is to the desk (the actor).
        row = (
            ApiToken.objects.select_related("user", "user__staff_member", "user__contact")
            .filter(key_hash=hash_key(token), is_revoked=False)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        actor = actor_for_user(row.user)
        if not actor.is_authenticated:
            return None
        now = timezone.now()
        # At most one write a minute per token: a busy integration should not write on every call.
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        request.actor = actor
        return actor


class SessionAuth(APIKeyCookie):
    """The signed-in browser session (for the interactive docs), with CSRF as Django does it.

    The CSRF check runs only once the session is known to belong to someone: a caller with no
    session and no token is told 401 (sign in), not 403 (CSRF), which would send them looking
    for the wrong problem. ``csrf = True`` also makes the docs page send the CSRF header."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        if key is None:
            return None
        actor = request.actor
        return actor if actor.is_authenticated else None


AUTH = [TokenAuth(), SessionAuth()]
