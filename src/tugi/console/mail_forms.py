from django import forms
from django.utils.translation import gettext_lazy as _


class DiscardForm(forms.Form):
    reason = forms.CharField(label=_("Why is it discarded?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("For example: spam, a test message, already handled by phone."))
