"""Every write of the remote flow (K19): the client orders remote support for one of their items
and gives the account it needs; the client replaces or revokes it (revoking erases it); the desk
reveals it, each time audited. Secrets enter here in clear and leave here as Fernet tokens; no
audit event, conversation entry or notification ever carries them."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from tugi.cmdb.models import ConfigurationItem
from tugi.core.actors import Actor
from tugi.core.audit import audit_record
from tugi.core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from tugi.notifications.services import Recipient, notify
from tugi.tickets.models import ConversationEntry, Ticket
from tugi.tickets.selectors import ticket_get_for
from tugi.tickets.services import ticket_event_add, ticket_parties

from . import policies, vault
from .models import RemoteAccessOrder, RemoteAccessStatus, RemoteMethod

MAX_SECRET = 500

# The local names that hold an account, a password or the client's free-text notes in clear: an error
# report (the debug page, the mail to ADMINS, Sentry) shows them as stars (K19). ``text`` and
# ``value`` are the names in the helpers called below (vault.encrypt, _clean_secret); ``kwds`` is
# the keyword arguments in the frame of transaction.atomic's decorator, between ours and the function.
SECRET_NAMES = ("account_identifier", "password", "identifier", "notes", "text", "value", "kwds")


@dataclass(frozen=True)
class RevealedAccount:
    """The account details in clear, for one response only: never stored, logged or cached."""

    order: RemoteAccessOrder
    account_identifier: str
    password: str

    def __repr__(self) -> str:  # so that a traceback or a log line never prints them
        return f"RevealedAccount(order={self.order.pk}, account_identifier='••••', password='••••')"


# --- helpers ---------------------------------------------------------------------------------

def _event(ticket: Ticket, actor: Actor, body: str, *, is_internal: bool = False) -> ConversationEntry:
    return ticket_event_add(actor=actor, ticket=ticket, body=body, is_internal=is_internal)


def _console_url(ticket: Ticket) -> str:
    return settings.TUGI_BASE_URL.rstrip("/") + reverse("console:ticket", kwargs={"reference": ticket.reference})


def _portal_url(ticket: Ticket) -> str:
    return settings.TUGI_BASE_URL.rstrip("/") + reverse("portal:ticket", kwargs={"reference": ticket.reference})


def _desk_recipients(ticket: Ticket, actor: Actor) -> list[Recipient]:
    """The staff of the ticket (its assignee, staff taking part); when nobody is assigned yet, the
    service's manager, so that an order does not wait unseen."""
    recipients = ticket_parties(ticket, staff_only=True, exclude_user_id=actor.user_id)
    if recipients or ticket.service_id is None:
        return recipients
    manager = ticket.service.service_manager
    if manager and manager.is_active and manager.email and manager.user_id != actor.user_id:
        return [Recipient(email=manager.email, name=manager.name, language=manager.language, is_staff=True)]
    return []


def _describe(order: RemoteAccessOrder) -> str:
    return _("%(method)s on “%(item)s”") % {"method": order.method_label, "item": order.configuration_item.name}


def _audit_changes(order: RemoteAccessOrder, **extra) -> dict:
    """What the audit log keeps of an order: never the identifier or the password."""
    return {"ticket": order.ticket.reference, "method": order.method, "configuration_item": order.configuration_item,
            **extra}


def _clean_secret(value: str, *, field: str, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("Please give the account name or ID the specialist signs in with."), field=field)
    if len(value) > MAX_SECRET:
        raise InvalidInput(_("This is too long (at most %(n)s characters).") % {"n": MAX_SECRET}, field=field)
    return value


def _lock_order(actor: Actor, order: RemoteAccessOrder) -> RemoteAccessOrder:
    return _lock(actor, order.ticket.reference, order.pk)


def _lock(actor: Actor, reference: str, pk: int) -> RemoteAccessOrder:
    from .selectors import remote_order_get_for

    return remote_order_get_for(actor, reference, pk, for_update=True)


# --- ordering -------------------------------------------------------------------------------

@sensitive_variables(*SECRET_NAMES)
@transaction.atomic
def remote_access_order(
    *,
    actor: Actor,
    ticket: Ticket,
    method: str,
    configuration_item: ConfigurationItem,
    account_identifier: str,
    password: str = "",
    notes: str = "",
    method_detail: str = "",
) -> RemoteAccessOrder:
    """The client orders remote support (K19) and gives the account; the desk is told, without it."""
    ticket = ticket_get_for(actor, ticket.reference, for_update=True)
    refusal = policies.order_refusal(actor, ticket)
    if refusal:
        raise PermissionDenied(refusal) if not actor.is_client or ticket.organisation_id != actor.organisation_id \
            else TransitionNotAllowed(refusal)
    if method not in RemoteMethod.values:
        raise InvalidInput(_("Please choose how the specialist connects."), field="method")
    method_detail = (method_detail or "").strip()[:100]
    if method == RemoteMethod.OTHER and not method_detail:
        raise InvalidInput(_("Please name the tool the specialist connects with."), field="method_detail")
    refusal = policies.item_refusal(ticket, configuration_item)
    if refusal:
        raise InvalidInput(refusal, field="configuration_item")
    identifier = _clean_secret(account_identifier, field="account_identifier", required=True)
    password = _clean_secret(password, field="password", required=False)
    order = RemoteAccessOrder.objects.create(
        ticket=ticket, method=method, method_detail=method_detail if method == RemoteMethod.OTHER else "",
        configuration_item=configuration_item, account_identifier_encrypted=vault.encrypt(identifier),
        password_encrypted=vault.encrypt(password), notes=(notes or "").strip(), ordered_by_user_id=actor.user_id,
        ordered_by_label=actor.label,
    )
    _event(ticket, actor, _("Remote support ordered: %(what)s. The account details are stored encrypted and only "
                            "the service desk can see them.") % {"what": _describe(order)})
    audit_record(actor=actor, action="remote.order", obj=order,
                 changes=_audit_changes(order, has_password=bool(password), has_notes=bool(order.notes)))
    notify(event="remote_ordered", about=ticket.reference, recipients=_desk_recipients(ticket, actor),
           context={"ticket": ticket, "order": order, "what": _describe(order), "console_url": _console_url(ticket)})
    return order


@sensitive_variables(*SECRET_NAMES)
@transaction.atomic
def remote_access_replace(
    *, actor: Actor, order: RemoteAccessOrder, account_identifier: str, password: str = "", notes: str | None = None,
) -> RemoteAccessOrder:
    """The client gives new account details (a changed password, another account)."""
    order = _lock_order(actor, order)
    refusal = policies.change_refusal(actor, order)
    if refusal:
        raise (TransitionNotAllowed if order.ticket.organisation_id == actor.organisation_id and actor.is_client
               else PermissionDenied)(refusal)
    identifier = _clean_secret(account_identifier, field="account_identifier", required=True)
    password = _clean_secret(password, field="password", required=False)
    order.account_identifier_encrypted = vault.encrypt(identifier)
    order.password_encrypted = vault.encrypt(password)
    fields = ["account_identifier_encrypted", "password_encrypted", "updated_at"]
    if notes is not None:
        order.notes = notes.strip()
        fields.append("notes")
    order.save(update_fields=fields)
    _event(order.ticket, actor, _("New account details given for the remote support: %(what)s.")
           % {"what": _describe(order)})
    audit_record(actor=actor, action="remote.replace", obj=order,
                 changes=_audit_changes(order, replaced=["account_identifier", "password"]))
    notify(event="remote_replaced", about=order.ticket.reference, recipients=_desk_recipients(order.ticket, actor),
           context={"ticket": order.ticket, "order": order, "what": _describe(order),
                    "console_url": _console_url(order.ticket)})
    return order


@transaction.atomic
def remote_access_revoke(*, actor: Actor, order: RemoteAccessOrder, reason: str = "") -> RemoteAccessOrder:
    """Revoking erases the account details for good; the order stays as history."""
    order = _lock_order(actor, order)
    refusal = policies.revoke_refusal(actor, order)
    if refusal:
        raise (TransitionNotAllowed if not order.is_active else PermissionDenied)(refusal)
    order.account_identifier_encrypted = ""
    order.password_encrypted = ""
    order.status = RemoteAccessStatus.REVOKED
    order.revoked_at = timezone.now()
    order.revoked_by_label = actor.label
    order.save(update_fields=["account_identifier_encrypted", "password_encrypted", "status", "revoked_at",
                              "revoked_by_label", "updated_at"])
    reason = (reason or "").strip()
    body = _("Remote access revoked: %(what)s. The account details were erased.") % {"what": _describe(order)}
    if reason:
        body += " " + _("Reason: %(reason)s") % {"reason": reason}
    _event(order.ticket, actor, body)
    audit_record(actor=actor, action="remote.revoke", obj=order, changes=_audit_changes(order, reason=reason))
    recipients = (_desk_recipients(order.ticket, actor) if actor.is_client
                  else [r for r in ticket_parties(order.ticket, exclude_user_id=actor.user_id) if not r.is_staff])
    notify(event="remote_revoked", about=order.ticket.reference, recipients=recipients,
           context={"ticket": order.ticket, "order": order, "what": _describe(order), "reason": reason,
                    "by": actor.label, "console_url": _console_url(order.ticket),
                    "portal_url": _portal_url(order.ticket)})
    return order


@sensitive_variables(*SECRET_NAMES)
@transaction.atomic
def remote_access_reveal(*, actor: Actor, order: RemoteAccessOrder) -> RevealedAccount:
    """The desk sees the account details once (K19). Every reveal is audited: who, when, which
    order — never the details themselves."""
    order = _lock_order(actor, order)
    refusal = policies.reveal_refusal(actor, order)
    if refusal:
        denied = not actor.is_staff or not any(actor.has_role(r) for r in policies.REVEALING_ROLES)
        raise (PermissionDenied if denied else TransitionNotAllowed)(refusal)
    try:
        identifier = vault.decrypt(order.account_identifier_encrypted)
        password = vault.decrypt(order.password_encrypted)
    except vault.SecretUnreadable:
        raise TransitionNotAllowed(_("The account details cannot be opened with the current keys; please ask the "
                                     "client to give them again.")) from None
    audit_record(actor=actor, action="remote.reveal", obj=order, changes=_audit_changes(order))
    _event(order.ticket, actor, _("%(who)s looked at the remote account details (%(what)s).")
           % {"who": actor.label, "what": _describe(order)}, is_internal=True)
    return RevealedAccount(order=order, account_identifier=identifier, password=password)


def remote_access_rotate_keys() -> int:
    """Re-encrypt every stored token under the first key of TUGI_SECRETS_KEY; returns how many
    orders were rewritten. Run it after putting a new key first, before dropping an old one."""
    count = 0
    with transaction.atomic():
        for order in RemoteAccessOrder.objects.select_for_update().filter(status=RemoteAccessStatus.ACTIVE):
            order.account_identifier_encrypted = vault.rotate(order.account_identifier_encrypted)
            order.password_encrypted = vault.rotate(order.password_encrypted)
            order.save(update_fields=["account_identifier_encrypted", "password_encrypted"])
            count += 1
    return count
