from django.shortcuts import render

from tugi.tickets.selectors import ticket_list_for

from .decorators import staff_required


@staff_required
def queue(request):
    return render(request, "console/queue.html", {"tickets": ticket_list_for(request.actor)[:50]})


@staff_required
def phone(request):
    return render(request, "console/queue.html", {"tickets": []})


@staff_required
def search(request):
    return render(request, "console/queue.html", {"tickets": []})
