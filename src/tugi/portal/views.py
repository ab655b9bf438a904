from django.shortcuts import render

from tugi.tickets.selectors import ticket_list_for

from .decorators import client_required

PAGE_SIZE = 50


@client_required
def home(request):
    tickets = ticket_list_for(request.actor)[:PAGE_SIZE]
    return render(request, "portal/home.html", {"tickets": tickets})


@client_required
def report(request):
    return render(request, "portal/home.html", {"tickets": []})
