"""The client's form of time accounting (K12): the reason of a dispute. Shape only: the rules live in
tugi.worklog.services."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DisputeForm(forms.Form):
    reason = forms.CharField(label=_("Why do you dispute this entry?"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("The desk or the service manager answers with a justification."))
