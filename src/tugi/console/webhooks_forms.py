"""Forms of outgoing webhooks in the console. Shape only: the rules (an http(s) address, known
event types, who may manage) live in tugi.webhooks.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tugi.webhooks.models import EventType


class SubscriptionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("Who receives the events, e.g. the partner's ticket system."))
    target_url = forms.CharField(label=_("Receiver's address (URL)"), max_length=500,
                                 widget=forms.URLInput(attrs={"placeholder": "https://"}))
    event_types = forms.MultipleChoiceField(label=_("Events"), choices=EventType.choices,
                                            widget=forms.CheckboxSelectMultiple)
    organisation = forms.ModelChoiceField(
        label=_("Only the tickets of"), queryset=None, required=False, empty_label=_("every organisation"),
        help_text=_("A receiver of a customer should get that customer's tickets only."))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
