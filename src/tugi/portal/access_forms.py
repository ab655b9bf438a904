"""Forms of portal access (K18): asking for access, and signing in only with approved access."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tugi.directory.models import PortalAccess
from tugi.directory.selectors import contact_blocked_from_portal


class AccessRequestForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("We send the decision here, and, if access is given, the link to choose a password."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    organisation = forms.CharField(
        label=_("Organisation"), max_length=200, required=False, help_text=_("The company or unit you work for.")
    )
    message = forms.CharField(
        label=_("Why do you need access?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A sentence is enough; it helps the service-catalogue owner decide."),
    )


def _blocked_message(contact) -> str:
    phone = settings.TUGI_SUPPORT_PHONE
    state = contact.portal_access if contact.is_active else PortalAccess.NONE
    if state == PortalAccess.REQUESTED:
        return gettext(
            "Thank you for your patience: your request for access to the client portal is waiting for the decision "
            "of the service-catalogue owner. We will let you know by email. If it is urgent, please call the "
            "support phone %(phone)s."
        ) % {"phone": phone}
    if state == PortalAccess.REFUSED:
        return gettext(
            "We are sorry: your request for access to the client portal was not approved. The reason given: "
            "%(reason)s. If you have questions, please call the support phone %(phone)s; we are glad to help."
        ) % {"reason": contact.portal_access_reason or "—", "phone": phone}
    if state == PortalAccess.WITHDRAWN:
        return gettext(
            "Your access to the client portal has been withdrawn. The reason given: %(reason)s. If you think this "
            "is a mistake, please call the support phone %(phone)s."
        ) % {"reason": contact.portal_access_reason or "—", "phone": phone}
    return gettext(
        "Your account does not have access to the client portal yet. Access is given with the consent of the "
        "service-catalogue owner: please ask for it on the access request page, or call the support phone %(phone)s."
    ) % {"phone": phone}


class PortalSignInForm(AuthenticationForm):
    """Signs in staff and contacts whose portal access is approved (K18). The others are told
    politely why not; that is said only after the password was right, so the page never reveals
    whether an unknown username exists."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is not correct. Please try again."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        contact = contact_blocked_from_portal(user)
        if contact is not None:
            raise forms.ValidationError(_blocked_message(contact), code=f"portal_access_{contact.portal_access}")
