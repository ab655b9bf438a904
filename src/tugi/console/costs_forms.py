"""Forms of the costs flow in the console (K16, K20). Shape only: the rules live in tugi.costs.services.
The desk's own forms carry no price fields (K20): only the amount form, shown to service managers
and the catalogue owner, has one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tugi.costs.models import OrderKind


class ChargeableForm(forms.Form):
    is_chargeable = forms.BooleanField(label=_("This work is chargeable"), required=False)
    reason = forms.CharField(label=_("Why"), required=False, max_length=2000)


class NoticeForm(forms.Form):
    description = forms.CharField(label=_("What the extra cost is for"), widget=forms.Textarea(attrs={"rows": 2}))


class PricedNoticeForm(NoticeForm):
    amount = forms.DecimalField(label=_("Amount (EUR)"), required=False, min_value=0, decimal_places=2,
                                max_digits=12)


class AmountForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (EUR)"), min_value=0, decimal_places=2, max_digits=12)


class ConsultForm(forms.Form):
    question = forms.CharField(label=_("Question to the service-catalogue owner"),
                               widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    is_chargeable = forms.TypedChoiceField(
        label=_("Is the work chargeable?"), choices=[("yes", _("Yes, chargeable")), ("no", _("No, not chargeable"))],
        coerce=lambda v: v == "yes", widget=forms.RadioSelect,
    )
    explanation = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 2}))


class OrderForm(forms.Form):
    """The desk orders for a caller: no price fields, the quote comes from the service manager (K20)."""

    contact = forms.TypedChoiceField(label=_("For the client"), coerce=int, choices=())
    service = forms.TypedChoiceField(label=_("Service"), coerce=int, choices=())
    kind = forms.ChoiceField(label=_("Hardware or software"), choices=OrderKind.choices)
    item = forms.CharField(label=_("What"), max_length=250)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)
    justification = forms.CharField(label=_("Why it is needed"), widget=forms.Textarea(attrs={"rows": 2}))
    deliver_to = forms.CharField(label=_("For whom / where"), max_length=250)

    def __init__(self, *args, contacts=(), services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = [(c.pk, f"{c.name} ({c.organisation.name})") for c in contacts]
        self.fields["service"].choices = [(s.pk, s.name) for s in services]
