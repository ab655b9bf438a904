"""Forms of the console: they parse and validate input; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tugi.core.forms import DateField
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import TicketKind, TicketLink, TicketState
from tugi.tickets.priority import Impact, Urgency


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


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("any"))] + TicketState.choices)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("any"))] + TicketKind.choices)
    service = forms.TypedChoiceField(label=_("Service"), required=False, coerce=int, empty_value=None)
    organisation = forms.TypedChoiceField(label=_("Organisation"), required=False, coerce=int, empty_value=None)
    assignee = forms.TypedChoiceField(label=_("Assignee"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, services=(), organisations=(), staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("any"))] + [(s.pk, s.name) for s in services]
        self.fields["organisation"].choices = [("", _("any"))] + [(o.pk, o.name) for o in organisations]
        self.fields["assignee"].choices = [("", _("anyone"))] + [(s.pk, s.name) for s in staff]


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Name of the view"), max_length=80)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Assignee"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("nobody"))] + [(s.pk, s.name) for s in staff]


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a.value, a.value) for a in Action])
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    until = DateField(label=_("Until"), required=False)


class EntryForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))
    internal = forms.BooleanField(label=_("Internal note (not shown to the client)"), required=False)
    attachments = MultipleFileField(label=_("Attachments"))
    send_anyway = forms.BooleanField(label=_("Send it as it is"), required=False)


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("This ticket"), choices=TicketLink.Kind.choices)
    target = forms.CharField(label=_("Other ticket's reference"), max_length=16)


class RelatedTicketForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TicketKind.choices)
    title = forms.CharField(label=_("Title"), max_length=250)
    link = forms.ChoiceField(label=_("The new ticket"), choices=TicketLink.Kind.choices,
                             initial=TicketLink.Kind.AROSE_FROM)


class CIForm(forms.Form):
    configuration_item = forms.TypedChoiceField(label=_("Configuration item"), coerce=int)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["configuration_item"].choices = [(ci.pk, str(ci)) for ci in items]


class CICorrectForm(forms.Form):
    wrong = forms.IntegerField(widget=forms.HiddenInput)
    right = forms.TypedChoiceField(label=_("It concerns instead"), coerce=int, empty_value=None, required=False)
    reason = forms.CharField(label=_("Why"), required=False, max_length=500)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["right"].choices = [("", _("unknown"))] + [(ci.pk, str(ci)) for ci in items]


class ReclassifyForm(forms.Form):
    kind = forms.ChoiceField(label=_("New kind"), choices=TicketKind.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PriorityForm(forms.Form):
    impact = forms.TypedChoiceField(label=_("Impact"), choices=Impact.choices, coerce=int)
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=Urgency.choices, coerce=int)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class ServiceForm(forms.Form):
    """Which service the ticket concerns (K8): its SLA follows, keeping every pause."""

    service = forms.ModelChoiceField(label=_("Service"), queryset=None, required=False,
                                     empty_label=_("— no service —"))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services


class PhoneTicketForm(forms.Form):
    """Logging a call (K13): what the caller says, in as few fields as a live call allows."""

    contact = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=TicketKind.choices, initial=TicketKind.INCIDENT)
    title = forms.CharField(label=_("What is wrong, in a few words"), max_length=250)
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    configuration_item = forms.TypedChoiceField(label=_("Configuration item"), coerce=int, empty_value=None,
                                                required=False)
    impact = forms.TypedChoiceField(label=_("Impact"), choices=Impact.choices, coerce=int, initial=Impact.LOW)
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=Urgency.choices, coerce=int, initial=Urgency.MEDIUM)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["configuration_item"].choices = [("", _("not known"))] + [(ci.pk, str(ci)) for ci in items]
