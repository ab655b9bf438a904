"""Forms of the console's monitoring pages: input only; the rules live in the monitoring services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tugi.channels.monitoring.models import MatchOp, SourceKind
from tugi.tickets.priority import Impact, Urgency


class SourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Address name"), max_length=60,
        help_text=_("Letters, digits and hyphens: the webhook address ends in /<address name>/<kind>."))
    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices)
    resolve_on_recovery = forms.BooleanField(label=_("Resolve the ticket when the alert recovers"), required=False)
    hmac_secret = forms.CharField(label=_("HMAC secret (Grafana, optional)"), max_length=200, required=False)
    max_new_tickets_per_hour = forms.IntegerField(label=_("New tickets per hour at most"), min_value=0,
                                                  max_value=100000, initial=30)
    default_service = forms.ModelChoiceField(label=_("Default service"), queryset=None, required=False)
    default_organisation = forms.ModelChoiceField(label=_("Default organisation"), queryset=None, required=False)

    def __init__(self, *args, services, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_service"].queryset = services
        self.fields["default_organisation"].queryset = organisations


def parse_matchers(text: str) -> list[dict]:
    """One matcher a line: ``label=value``, ``label!=value``, ``label=~regex`` or ``label!~regex``."""
    matchers = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        for op in (MatchOp.NOT_REGEX, MatchOp.REGEX, MatchOp.NOT_EQUAL, MatchOp.EQUAL):
            label, found, value = line.partition(op)
            if found and label.strip() and not label.strip().endswith(("!", "=")):
                matchers.append({"label": label.strip(), "op": str(op), "value": value.strip().strip('"')})
                break
        else:
            raise forms.ValidationError(_("“%(line)s” is not label=value, label!=value, label=~regex or "
                                          "label!~regex.") % {"line": line[:80]})
    return matchers


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=100000, initial=100)
    source = forms.ModelChoiceField(label=_("Source"), queryset=None, required=False,
                                    empty_label=_("every source"))
    matchers = forms.CharField(label=_("Matchers, one a line"), required=False, widget=forms.Textarea(
        attrs={"rows": 3, "placeholder": "instance=~alfa-.*\nseverity=critical"}))
    configuration_item = forms.CharField(label=_("Configuration item (its exact name)"), max_length=200,
                                         required=False)
    service = forms.ModelChoiceField(label=_("Service"), queryset=None, required=False)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, required=False)
    impact = forms.TypedChoiceField(label=_("Impact"), choices=[("", "—"), *Impact.choices], coerce=int,
                                    empty_value=None, required=False)
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=[("", "—"), *Urgency.choices], coerce=int,
                                     empty_value=None, required=False)

    def __init__(self, *args, sources, services, organisations, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources
        self.fields["service"].queryset = services
        self.fields["organisation"].queryset = organisations
        self.items = items

    def clean_matchers(self):
        return parse_matchers(self.cleaned_data.get("matchers", ""))

    def clean_configuration_item(self):
        name = self.cleaned_data.get("configuration_item", "").strip()
        if not name:
            return None
        found = list(self.items.filter(name=name)[:2])
        if len(found) != 1:
            raise forms.ValidationError(_("No single configuration item has this name."))
        return found[0]
