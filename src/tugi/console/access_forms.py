"""Forms of the catalogue owner's portal-access decisions (K18). Shape only: the rules live in
tugi.directory.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tugi.directory.models import Contact, Organisation


class ApproveForm(forms.Form):
    """Approve a request. A request from someone the directory does not know is linked to an
    existing contact or to a new one made from the fields below."""

    contact = forms.ModelChoiceField(
        label=_("Existing contact"), queryset=Contact.objects.none(), required=False, empty_label=_("— a new contact —")
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation of the new contact"), queryset=Organisation.objects.none(), required=False
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Contact.Language.choices, required=False)
    reason = forms.CharField(
        label=_("Note to the person (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, access_request, candidates, organisations, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("name", access_request.name)
        initial.setdefault("email", access_request.email)
        initial.setdefault("phone", access_request.phone)
        initial.setdefault("language", access_request.language)
        super().__init__(*args, **kwargs)
        self.access_request = access_request
        if access_request.contact_id:
            for name in ("contact", "organisation", "name", "email", "phone", "language"):
                del self.fields[name]
            return
        self.fields["contact"].queryset = Contact.objects.filter(pk__in=[c.pk for c in candidates]).select_related(
            "organisation"
        )
        self.fields["contact"].label_from_instance = lambda c: f"{c.name} <{c.email or '—'}> · {c.organisation.name}"
        self.fields["organisation"].queryset = organisations

    @property
    def needs_contact(self) -> bool:
        return not self.access_request.contact_id

    def clean(self):
        data = super().clean()
        if self.needs_contact and not data.get("contact"):
            missing = [f for f in ("organisation", "name", "email") if not data.get(f)]
            if missing:
                raise forms.ValidationError(
                    _("Please choose an existing contact, or give the new contact's organisation, name and email."),
                    code="contact_needed",
                )
        return data


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the person is told it)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the contact is told it)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class RequestForContactForm(forms.Form):
    message = forms.CharField(label=_("Why access is needed"), required=False, max_length=2000)
    next = forms.CharField(required=False)
