"""Forms of the client portal: friendly words for what the desk needs to know."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tugi.core.forms import DateField
from tugi.tickets.models import TicketKind
from tugi.tickets.policies import CLIENT_KINDS
from tugi.tickets.priority import Impact, Urgency

from .plans_forms import WishesForm

KIND_HELP = {
    TicketKind.INCIDENT: _("Something that worked has stopped working or works badly, for example “the printer "
                           "does not print” or “I cannot open the ERP”."),
    TicketKind.PROBLEM: _("The same trouble keeps coming back, and you would like its cause found and removed."),
    TicketKind.SERVICE_REQUEST: _("Nothing is broken; you need something: a new account, access rights, a program "
                                  "installed, advice."),
}

NOT_KNOWN = ""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ReportForm(WishesForm):
    """K1: the client says what kind of trouble it is, with the difference explained beside it; and,
    if they like, by when they wish a response and a resolution (K8, the fields of WishesForm)."""

    kind = forms.ChoiceField(label=_("What would you like to report?"), widget=forms.RadioSelect,
                             choices=[(k.value, k.label) for k in CLIENT_KINDS], initial=TicketKind.INCIDENT)
    title = forms.CharField(label=_("In a few words"), max_length=250)
    description = forms.CharField(
        label=_("What happened?"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("When did it start, what did you see on the screen, what have you already tried?"),
    )
    configuration_item = forms.TypedChoiceField(label=_("Which device or system is it about?"), coerce=int,
                                                empty_value=None, required=False)
    urgency = forms.TypedChoiceField(label=_("How much does it hinder your work?"), choices=Urgency.choices,
                                     coerce=int, initial=Urgency.MEDIUM)
    impact = forms.TypedChoiceField(label=_("Who is affected?"), choices=Impact.choices, coerce=int,
                                    initial=Impact.LOW)
    attachments = MultipleFileField(label=_("Screenshots or files (optional)"))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["configuration_item"].choices = [(NOT_KNOWN, _("I don't know"))] + [
            (ci.pk, f"{ci.name} ({ci.get_ci_type_display()})") for ci in items
        ]
        self.kind_help = [(k.value, k.label, KIND_HELP[k]) for k in CLIENT_KINDS]


class AddInformationForm(forms.Form):
    """K2: anything new the desk should know; every party is told."""

    body = forms.CharField(label=_("Add information"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(label=_("Files (optional)"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    until = DateField(label=_("Until"), required=False)
