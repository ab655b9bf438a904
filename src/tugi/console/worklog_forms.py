"""Forms of time accounting in the console (K12). Shape only: the rules live in tugi.worklog.services."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tugi.core.forms import DateField
from tugi.worklog.models import TimeDispute

DURATION = re.compile(
    r"^\s*(?:(?P<h>\d{1,2}):(?P<m>[0-5]\d)|(?P<minutes>\d{1,5})|(?P<hours>\d{1,2}[.,]\d{1,2})\s*h?)\s*$")


class DurationField(forms.CharField):
    """Time spent as minutes (``90``), hours and minutes (``1:30``) or decimal hours (``1,5``)."""

    default_error_messages = {"invalid": _("Please give the time as minutes (90), as hours and minutes (1:30) or "
                                           "as hours (1,5).")}

    def clean(self, value):
        text = super().clean(value)
        if text in self.empty_values:
            return None
        match = DURATION.match(text)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if match["h"] is not None:
            return int(match["h"]) * 60 + int(match["m"])
        if match["minutes"] is not None:
            return int(match["minutes"])
        return round(float(match["hours"].replace(",", ".")) * 60)


class TimeEntryForm(forms.Form):
    work_date = DateField(label=_("Date of the work"))
    duration = DurationField(label=_("Time spent"), max_length=10,
                             help_text=_("Minutes (90), hours and minutes (1:30) or hours (1,5)."))
    description = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("The client sees this: it is the justification of the time."))
    is_billable = forms.BooleanField(label=_("Billable"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"work_date": timezone.localdate(), "is_billable": True})
        super().__init__(*args, **kwargs)


OUTCOMES = [(TimeDispute.Outcome.KEPT, _("Keep the entry")), (TimeDispute.Outcome.CORRECTED, _("Correct the entry")),
            (TimeDispute.Outcome.REMOVED, _("Remove the entry"))]
BILLABLE = [("", _("as before")), ("yes", _("billable")), ("no", _("not billable"))]


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Answer"), choices=OUTCOMES, widget=forms.RadioSelect)
    justification = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=_("The client reads this: explain the reason for the answer."))
    duration = DurationField(label=_("Corrected time"), required=False, max_length=10,
                             help_text=_("Only for a correction."))
    is_billable = forms.TypedChoiceField(label=_("Corrected: billable?"), choices=BILLABLE, required=False,
                                         coerce=lambda v: {"yes": True, "no": False}.get(v), empty_value=None)
