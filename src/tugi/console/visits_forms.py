"""Forms of the visits flow in the console: they parse input only; the rules are in
tugi.visits.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tugi.core.forms import DateTimeLocalField
from tugi.visits.models import AccessKind, AppointmentKind

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime(label, *, required=True, help_text=""):
    return DateTimeLocalField(
        label=label, required=required, help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class AccessRequirementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of access"), choices=AccessKind.choices)
    what = forms.CharField(label=_("What exactly"), max_length=250,
                           help_text=_("For example: the ERP production server, server room 2, building B."))
    needed_from = _datetime(_("Needed from"), required=False)
    whom_to_ask = forms.CharField(label=_("Whom to ask"), max_length=250, required=False)
    reason = forms.CharField(label=_("Why it is needed (the client reads this)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class PhoneConfirmationForm(forms.Form):
    confirmed_by = forms.CharField(label=_("Confirmed by (name, by phone)"), max_length=200)


class AppointmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AppointmentKind.choices)
    starts_at = _datetime(_("Starts"))
    ends_at = _datetime(_("Ends"))
    staff = forms.ModelChoiceField(label=_("Who comes"), queryset=None)
    location = forms.CharField(label=_("Where"), max_length=250, required=False)
    notes = forms.CharField(label=_("Notes for the client"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, staff, staff_choices=None, **kwargs):
        """``staff_choices``: the choices read once for a page with many of these forms (one per
        appointment), so that drawing each form does not read the staff again."""
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        if staff_choices is not None:
            self.fields["staff"].choices = staff_choices


def staff_choices_for(staff) -> list[tuple]:
    """The choices of AppointmentForm's staff field, read once."""
    field = AppointmentForm.base_fields["staff"]
    return [("", field.empty_label), *((s.pk, field.label_from_instance(s)) for s in staff)]


class CancelAppointmentForm(forms.Form):
    reason = forms.CharField(label=_("Reason (the client reads this)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class PlannedWorkForm(forms.Form):
    planned_start = _datetime(_("Planned start (internal)"), required=False)
    planned_end = _datetime(_("Planned end (internal)"), required=False)
