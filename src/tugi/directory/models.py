from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tugi.core.models import TimestampedModel


class Organisation(TimestampedModel):
    """A customer: another company (external) or a unit of our own (internal). S3."""

    class Kind(models.TextChoices):
        EXTERNAL = "external", _("external company")
        INTERNAL = "internal", _("internal unit")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.EXTERNAL)
    registry_code = models.CharField(_("registry code"), max_length=32, blank=True)
    is_vip = models.BooleanField(_("VIP"), default=False)
    email_domains = models.CharField(
        _("email domains"), max_length=300, blank=True, help_text=_("Comma-separated, e.g. example.ee")
    )
    notes = models.TextField(_("internal notes"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PortalAccess(models.TextChoices):
    """Where a contact stands with the client portal (K18). Only APPROVED signs in."""

    NONE = "none", _("no access")
    REQUESTED = "requested", _("requested, waiting for a decision")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Contact(TimestampedModel):
    """A client or user (klient, kasutaja): a person who reports and decides. External or internal
    according to their organisation. Signs in to the portal only with the service-catalogue
    owner's consent (K18): ``portal_access`` is APPROVED."""

    class Language(models.TextChoices):
        ESTONIAN = "et", "Eesti"
        ENGLISH = "en", "English"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="contact"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    # A bounce to the contact's address (K14): the desk sees that mail does not reach them.
    email_bounced_at = models.DateTimeField(_("mail bounced"), null=True, blank=True)
    email_bounce_reason = models.CharField(_("bounce reason"), max_length=250, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_digits = models.CharField(max_length=40, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.ESTONIAN)
    is_representative = models.BooleanField(_("customer representative"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    portal_access = models.CharField(
        _("portal access"), max_length=16, choices=PortalAccess.choices, default=PortalAccess.NONE
    )
    portal_access_reason = models.TextField(
        _("reason for the portal access decision"),
        blank=True,
        help_text=_("The service-catalogue owner's reason for a refusal or withdrawal; the contact is shown it."),
    )
    portal_access_changed_at = models.DateTimeField(_("portal access changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]
        indexes = [
            models.Index(Lower("email"), name="contact_email_idx"),
            models.Index(fields=["phone_digits"], name="contact_phone_idx"),
            models.Index(fields=["organisation", "is_representative"], name="contact_org_rep_idx"),
            models.Index(fields=["portal_access"], name="contact_portal_access_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Callers dial and type numbers in many shapes; the digits alone are what we match on.
        self.phone_digits = digits_of(self.phone)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "phone_digits"}
        super().save(*args, **kwargs)


def digits_of(phone: str) -> str:
    return "".join(ch for ch in phone or "" if ch.isdigit())


class StaffMember(TimestampedModel):
    """Someone who works for the desk. ``personal_phone`` is internal-only: no page, mail or API
    response a client can reach ever carries it (K13)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_member")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    personal_phone = models.CharField(_("personal phone (internal only)"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=Contact.Language.choices, default="et")
    is_agent = models.BooleanField(_("agent / specialist"), default=True)
    is_service_manager = models.BooleanField(_("service manager"), default=False)
    is_catalogue_owner = models.BooleanField(_("service-catalogue owner"), default=False)
    # K17: who is told at once of a ticket on a critical system or of a VIP organisation that arrives
    # outside working hours.
    is_on_call = models.BooleanField(
        _("on call"), default=False, help_text=_("Told of urgent tickets of VIP clients and critical systems "
                                                 "that arrive outside working hours.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PortalAccessRequest(TimestampedModel):
    """One request for client-portal access and its decision (K18): asked by the person on the
    public page or by the desk on their behalf, decided by the service-catalogue owner. When the
    person is not (yet) a known contact, the details they gave are kept as typed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("approved, later withdrawn")

    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_requests",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organisation_name = models.CharField(_("organisation (as given)"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Contact.Language.choices, default=Contact.Language.ESTONIAN
    )
    message = models.TextField(_("why access is needed"), blank=True)
    requested_by_label = models.CharField(_("requested by"), max_length=200)
    requested_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_decisions",
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_withdrawals",
    )
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal access request")
        verbose_name_plural = _("portal access requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="access_request_status_idx")]
        constraints = [
            # A repeated request while one is pending must not make a second one (abuse, double clicks).
            models.UniqueConstraint(
                Lower("email"), condition=Q(status="pending"), name="access_request_one_pending_per_email"
            ),
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(status="pending", contact__isnull=False),
                name="access_request_one_pending_per_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
