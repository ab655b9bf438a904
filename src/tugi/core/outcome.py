"""How a page reports what a service did: the one place where a refusal becomes an error message
and a success a confirmation, in the user's language. Portal and console views call it and then
redirect back."""

from collections.abc import Callable

from django.contrib import messages

from .errors import DomainError


def form_problem(form) -> str:
    """The form's first problem, with the field's label, as one readable sentence."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return ""


def report_outcome(request, call: Callable, success: str, *, form=None) -> bool:
    """Validate ``form`` (when given; ``call`` then receives its cleaned data), call the service,
    and leave a message saying how it went. True when the service went through."""
    if form is not None and not form.is_valid():
        messages.error(request, form_problem(form))
        return False
    try:
        call(form.cleaned_data) if form is not None else call()
    except DomainError as refusal:
        messages.error(request, refusal.message)
        return False
    messages.success(request, success)
    return True
