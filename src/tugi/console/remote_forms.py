"""Forms of the remote flow in the console: shape only; the rules are in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tugi.core.forms import DateTimeLocalField

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime(label, *, required=True):
    return DateTimeLocalField(label=label, required=required,
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=1000)


class ThirdPartyWorkForm(forms.Form):
    """K9 as the desk records it; on the CI page the item is the page's own."""

    configuration_item = forms.IntegerField(label=_("Configuration item"), required=False)
    party = forms.CharField(label=_("Who works on it"), max_length=200)
    what = forms.CharField(label=_("What they do"), widget=forms.Textarea(attrs={"rows": 2}))
    starts_at = _datetime(_("From"))
    ends_at = _datetime(_("Until (if known)"), required=False)
