from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from tugi.directory.actors import actor_for_user

from .models import ApiToken, hash_key


class TokenAuth(HttpBearer):
    """``Authorization: Bearer tugi_...``. Sets ``request.actor`` like the pages' middleware."""

    def authenticate(self, request, token):
        row = ApiToken.objects.select_related("user").filter(key_hash=hash_key(token), is_revoked=False).first()
        if row is None or not row.user.is_active:
            return None
        actor = actor_for_user(row.user)
        if not actor.is_authenticated:
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        request.actor = actor
        return actor


class SessionAuth:
    """The signed-in browser session (for the interactive docs), with CSRF as Django does it."""

    def __init__(self):
        self._inner = django_auth

    def __call__(self, request):
        user = self._inner(request)
        if not user:
            return None
        actor = request.actor
        return actor if actor.is_authenticated else None


AUTH = [TokenAuth(), SessionAuth()]
