"""Forms of the dialogue flow in the portal: they parse input; the rules are in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tugi.tickets.priority import Priority


class TextForm(forms.Form):
    text = forms.CharField(required=False, max_length=5000)


class PriorityRequestForm(forms.Form):
    desired_priority = forms.TypedChoiceField(choices=Priority.choices, coerce=int, required=False,
                                              empty_value=None)
    reason = forms.CharField(required=False, max_length=5000)


class SatisfactionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("Yes")), ("reopen", _("No"))])
    rating = forms.TypedChoiceField(choices=[(n, str(n)) for n in range(1, 6)], coerce=int, required=False,
                                    empty_value=None)
    comment = forms.CharField(required=False, max_length=5000)
