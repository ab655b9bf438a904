"""Forms of the remote flow in the portal: ordering remote support with its account (K19) and
declaring another party's work (K9). Shape only: the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tugi.core.forms import DateTimeLocalField
from tugi.remote.models import RemoteMethod

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
SECRET_ATTRS = {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}


def _datetime(label, *, required=True):
    return DateTimeLocalField(label=label, required=required,
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT))


class AccountForm(forms.Form):
    account_identifier = forms.CharField(
        label=_("Account name or ID"), max_length=500, widget=forms.TextInput(attrs=SECRET_ATTRS),
        help_text=_("For example the TeamViewer or AnyDesk ID, or the user name the specialist signs in with."),
    )
    password = forms.CharField(
        label=_("Password"), max_length=500, required=False,
        widget=forms.PasswordInput(attrs={**SECRET_ATTRS, "autocomplete": "new-password"}, render_value=False),
        help_text=_("If you can, please give a temporary password that you change after the work."),
    )


class RemoteOrderForm(AccountForm):
    ticket = forms.ChoiceField(label=_("Ticket"), choices=())
    method = forms.ChoiceField(label=_("How should the specialist connect?"), choices=RemoteMethod.choices,
                               widget=forms.RadioSelect)
    method_detail = forms.CharField(label=_("Which tool (if “other”)"), max_length=100, required=False)
    configuration_item = forms.TypedChoiceField(label=_("Device or system"), coerce=int, choices=())
    notes = forms.CharField(
        label=_("Notes for the specialist (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example when the computer is switched on, or whom to call first. Please do not write "
                    "passwords here: this note is not encrypted."),
    )
    field_order = ["ticket", "method", "method_detail", "configuration_item", "account_identifier", "password",
                   "notes"]

    def __init__(self, *args, tickets=(), items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticket"].choices = [(t.reference, f"{t.reference} {t.title}") for t in tickets]
        self.fields["configuration_item"].choices = [(ci.pk, ci.name) for ci in items]


class ReplaceForm(AccountForm):
    pass


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=1000)


class ThirdPartyWorkForm(forms.Form):
    configuration_item = forms.TypedChoiceField(label=_("Device or system"), coerce=int, choices=())
    party = forms.CharField(label=_("Who works on it"), max_length=200,
                            help_text=_("For example the name of the company or the person."))
    what = forms.CharField(label=_("What they do"), widget=forms.Textarea(attrs={"rows": 2}))
    starts_at = _datetime(_("From"))
    ends_at = _datetime(_("Until (if known)"), required=False)
    ticket = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["configuration_item"].choices = [(ci.pk, ci.name) for ci in items]
