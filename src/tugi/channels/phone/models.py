"""Call events from the telephony system (K13).

The telephony system (a PBX or a cloud CTI) posts each call's events; a ``Call`` is the call as it
stands (rung, answered at an extension, hung up), matched to a contact by the phone number's
digits; ``CallEvent`` keeps every event as it came. ``PhoneExtension`` says which desk member
answers at which extension, so the console pops the call for the right agent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tugi.directory.models import Contact
from tugi.tickets.models import Ticket


class PhoneExtension(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="phone_extension")
    extension = models.CharField(_("extension"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("phone extension")
        verbose_name_plural = _("phone extensions")
        ordering = ["extension"]

    def __str__(self) -> str:
        return self.extension


class TelephonyToken(models.Model):
    """A token a telephony system sends as ``Authorization: Bearer``; only its SHA-256 digest is kept."""

    name = models.CharField(_("telephony system"), max_length=200)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("token begins with"), max_length=8, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("telephony token")
        verbose_name_plural = _("telephony tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"


class CallDirection(models.TextChoices):
    INBOUND = "inbound", _("incoming")
    OUTBOUND = "outbound", _("outgoing")


class CallState(models.TextChoices):
    NEW = "new", _("ringing")
    ANSWERED = "answered", _("answered")
    HUNG_UP = "hung_up", _("hung up")


class Call(models.Model):
    call_id = models.CharField(_("call id"), max_length=200, unique=True)
    direction = models.CharField(_("direction"), max_length=10, choices=CallDirection.choices,
                                 default=CallDirection.INBOUND)
    caller = models.CharField(_("caller's number"), max_length=60, blank=True)
    called = models.CharField(_("called number"), max_length=60, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=CallState.choices, default=CallState.NEW)
    extension = models.CharField(_("extension"), max_length=40, blank=True, db_index=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    contact = models.ForeignKey(Contact, verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    ticket = models.ForeignKey(Ticket, verbose_name=_("logged on ticket"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("started"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["state", "-started_at"], name="call_state_started_idx")]

    def __str__(self) -> str:
        return self.call_id

    @property
    def other_party(self) -> str:
        """The number at the other end: the caller of an incoming call, the called of an outgoing one."""
        return self.caller if self.direction == CallDirection.INBOUND else self.called


class CallEvent(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(_("event"), max_length=20)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    payload = models.JSONField(_("as received"), default=dict)

    class Meta:
        verbose_name = _("call event")
        verbose_name_plural = _("call events")
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"{self.call_id}: {self.event}"
