from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from tugi.tickets.selectors import ticket_list_for

PAGE_SIZE = 50


@login_required
def home(request):
    """The tickets the signed-in person may see, newest activity first."""
    if not request.actor.is_authenticated:
        raise PermissionDenied
    tickets = ticket_list_for(request.actor)[:PAGE_SIZE]
    return render(request, "portal/home.html", {"tickets": tickets})
