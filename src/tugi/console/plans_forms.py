"""Forms of the plans flow in the console: the plan (K6), steps (K5), times (K8), risks (K10)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tugi.core.forms import DateTimeLocalField
from tugi.plans.models import Level

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
LEVELS = [("", _("not assessed")), *Level.choices]


def datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)


class PlanForm(forms.Form):
    prefix = "plans-plan"

    text = forms.CharField(label=_("Plan"), widget=forms.Textarea(attrs={"rows": 5}))
    reason = forms.CharField(label=_("Why it changes (the client reads this)"), required=False)


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoInput(forms.Form):
    """For an action that needs nothing but the button."""


class MoveForm(forms.Form):
    position = forms.IntegerField(min_value=1)


class WishesForm(forms.Form):
    prefix = "plans-wish"

    desired_response_by = DateTimeLocalField(label=_("Response wished by"), required=False,
                                              widget=datetime_input())
    desired_resolution_by = DateTimeLocalField(label=_("Resolution wished by"), required=False,
                                                widget=datetime_input())


class ApproximateForm(forms.Form):
    prefix = "plans-approx"

    at = DateTimeLocalField(label=_("Approximate resolution time"), widget=datetime_input())


class RiskForm(forms.Form):
    prefix = "plans-risk"

    text = forms.CharField(label=_("Risk or follow-on problem"), widget=forms.Textarea(attrs={"rows": 2}))
    likelihood = forms.ChoiceField(label=_("Likelihood"), choices=LEVELS, required=False)
    impact = forms.ChoiceField(label=_("Impact"), choices=LEVELS, required=False)
