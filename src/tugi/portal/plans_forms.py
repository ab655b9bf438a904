"""Forms of the plans flow in the portal: the client's expectations and wished times (K6, K8),
and what did not work in a step (K5)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tugi.core.forms import DateTimeLocalField

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)


class ExpectationsForm(forms.Form):
    text = forms.CharField(
        label=_("What do you expect?"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: by when you need it, or what must work again first. It helps the specialist "
                    "plan the work to suit you."),
    )


class WishesForm(forms.Form):
    """K8: the two fields the report form can take over as they are."""

    desired_response_by = DateTimeLocalField(
        label=_("I would like a first response by"), required=False, widget=datetime_input(),
    )
    desired_resolution_by = DateTimeLocalField(
        label=_("I would like it resolved by"), required=False, widget=datetime_input(),
        help_text=_("Optional. We compare your wish with what your service agreement promises and tell you if "
                    "we cannot make it."),
    )


class NotWorkingForm(forms.Form):
    comment = forms.CharField(
        label=_("What did not work?"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A sentence or two is enough, so that the specialist can put it right."),
    )
