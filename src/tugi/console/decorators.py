from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def staff_required(view):
    """Console pages are for the desk: anonymous visitors go to sign-in, clients get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.actor.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.actor.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def role_required(*roles):
    """For pages of one role (the catalogue owner's access decisions, say)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.actor.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.actor.is_staff or not any(request.actor.has_role(r) for r in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
