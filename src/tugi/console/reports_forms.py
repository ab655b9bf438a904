"""The reports' filters in the console: a period and, optionally, one service or organisation.
Shape only: what each report counts lives in tugi.reports.selectors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tugi.catalog.models import Service
from tugi.core.forms import DateField
from tugi.directory.models import Organisation
from tugi.reports.selectors import BACKLOG_GROUP_LABELS


class _ScopeForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none(), required=False,
                                     empty_label=_("All services"))
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(),
                                          required=False, empty_label=_("All organisations"))

    def __init__(self, *args, services, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["organisation"].queryset = organisations


class ReportFilterForm(_ScopeForm):
    since = DateField(label=_("From"), required=False)
    until = DateField(label=_("To"), required=False)
    field_order = ("since", "until", "service", "organisation")

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The period's start is after its end: please swap the dates."))
        return data


class BacklogFilterForm(_ScopeForm):
    """The backlog is what is open now: no period, a grouping instead."""

    group = forms.ChoiceField(label=_("Group by"), choices=list(BACKLOG_GROUP_LABELS.items()), required=False)
    field_order = ("group", "service", "organisation")
