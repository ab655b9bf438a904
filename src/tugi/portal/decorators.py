from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect


def client_required(view):
    """Portal pages are the client's: anonymous visitors sign in first; staff go to the console."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.actor.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.actor.is_staff:
            return redirect("console:queue")
        return view(request, *args, **kwargs)

    return wrapper
