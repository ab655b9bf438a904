"""Portal access pages (K18): the public request form, and choosing a password from the link
the approval mail carries. No sign-in needed for either."""

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language

from tugi.core.errors import DomainError
from tugi.directory.services import access_request_create

from .access_forms import AccessRequestForm


def access_request(request):
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            access_request_create(
                actor=request.actor,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                organisation_name=data["organisation"],
                message=data["message"],
                language=get_language(),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            # The same answer whether the address is known, already has access or asked before.
            return redirect("portal:access_request_sent")
    return render(request, "portal/access/request.html", {"form": form})


def access_request_sent(request):
    return render(request, "portal/access/request_sent.html")


class AccessSetPasswordView(auth_views.PasswordResetConfirmView):
    template_name = "portal/access/set_password.html"
    success_url = reverse_lazy("portal:access_set_password_done")


def access_set_password_done(request):
    return render(request, "portal/access/set_password_done.html")
