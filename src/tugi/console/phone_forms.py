"""Forms of the call pop (K13): input only; the rules live in the phone services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tugi.tickets.models import TicketKind


class LogCallForm(forms.Form):
    reference = forms.CharField(label=_("Ticket"), max_length=30, required=False)
    other = forms.CharField(label=_("or another ticket's reference"), max_length=30, required=False)
    note = forms.CharField(label=_("What was said"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        data["reference"] = (data.get("other") or data.get("reference") or "").strip()
        if not data["reference"]:
            raise forms.ValidationError(_("Please choose the ticket the call was about."))
        return data


class CallTicketForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TicketKind.choices, initial=TicketKind.INCIDENT)
    title = forms.CharField(label=_("What is wrong, in a few words"), max_length=250)
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
