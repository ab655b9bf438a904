"""Forms of the dialogue flow in the console: they parse input; the rules are in the services."""

from django import forms

from tugi.core.forms import DateField
from tugi.tickets.priority import Impact, Urgency


class TextForm(forms.Form):
    text = forms.CharField(required=False, max_length=5000)


class PriorityDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])
    answer = forms.CharField(required=False, max_length=5000)
    impact = forms.TypedChoiceField(choices=Impact.choices, coerce=int, required=False, empty_value=None)
    urgency = forms.TypedChoiceField(choices=Urgency.choices, coerce=int, required=False, empty_value=None)


class ReportPeriodForm(forms.Form):
    since = DateField(required=False)
    until = DateField(required=False)
