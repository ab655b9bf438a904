"""Forms of the costs flow in the portal: the client's decision on a cost (K16) and an order of
hardware or software (K20). Shape only: the rules live in tugi.costs.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tugi.costs.models import OrderKind


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class OrderForm(forms.Form):
    service = forms.TypedChoiceField(
        label=_("Service"), coerce=int, choices=(),
        help_text=_("Choose the service from the catalogue; the order goes straight to its service manager."),
    )
    kind = forms.ChoiceField(label=_("What would you like to order?"), choices=OrderKind.choices,
                             widget=forms.RadioSelect)
    item = forms.CharField(label=_("What exactly"), max_length=250,
                           help_text=_("For example “a 14-inch laptop” or “a licence for the drawing program”."))
    quantity = forms.IntegerField(label=_("How many"), min_value=1, max_value=100000, initial=1)
    justification = forms.CharField(
        label=_("Why it is needed"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("This helps the service manager choose the right thing for you."),
    )
    deliver_to = forms.CharField(label=_("For whom / where"), max_length=250,
                                 help_text=_("Who will use it, and where it should be delivered or installed."))

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(s.pk, s.name) for s in services]
