"""Every write to the directory that the business knows.

Portal access (K18): a person asks for access on the public page, or the desk asks on a contact's
behalf; the service-catalogue owner approves (the contact gets a sign-in account and a link to
choose a password) or refuses with a reason; the owner can withdraw access again, with a reason.
Each step is one transaction with an audit event, and the person is told by mail after commit."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from tugi.core.actors import Actor, Role
from tugi.core.audit import audit_record
from tugi.core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from tugi.notifications.services import Recipient, notify

from .models import Contact, Organisation, PortalAccess, PortalAccessRequest, StaffMember
from .selectors import contact_find_by_email

Status = PortalAccessRequest.Status


@dataclass(frozen=True)
class NewContact:
    """The details of a contact the catalogue owner creates while approving a request from
    someone the directory does not know yet."""

    organisation: Organisation
    name: str
    email: str
    phone: str = ""
    language: str = Contact.Language.ESTONIAN


# --- helpers ---------------------------------------------------------------------------------

def _require_catalogue_owner(actor: Actor) -> StaffMember:
    if not (actor.is_staff and actor.has_role(Role.CATALOGUE_OWNER) and actor.staff_id):
        raise PermissionDenied(_("Only the service-catalogue owner decides on client-portal access."))
    return StaffMember.objects.get(pk=actor.staff_id)


def _required_text(value: str, *, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message, field=field)
    return value


def _language(value: str | None) -> str:
    code = (value or translation.get_language() or "et")[:2]
    return code if code in Contact.Language.values else Contact.Language.ESTONIAN


def _lock_request(access_request: PortalAccessRequest) -> PortalAccessRequest:
    locked = PortalAccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if locked.status != Status.PENDING:
        raise TransitionNotAllowed(_("This request has already been decided."))
    return locked


def _set_portal_access(*, actor: Actor, contact: Contact, state: str, reason: str = "") -> None:
    before = contact.portal_access
    contact.portal_access = state
    contact.portal_access_reason = reason
    contact.portal_access_changed_at = timezone.now()
    contact.save(update_fields=["portal_access", "portal_access_reason", "portal_access_changed_at", "updated_at"])
    changes = {"portal_access": [before, state]}
    if reason:
        changes["reason"] = reason
    audit_record(actor=actor, action="contact.portal_access_changed", obj=contact, changes=changes)


def _pending_for(*, email: str, contact: Contact | None) -> PortalAccessRequest | None:
    condition = Q(email__iexact=email)
    if contact is not None:
        condition |= Q(contact=contact)
    return PortalAccessRequest.objects.filter(condition, status=Status.PENDING).first()


def _owner_recipients() -> list[Recipient]:
    return [
        Recipient(email=s.email, name=s.name, language=s.language, is_staff=True)
        for s in StaffMember.objects.filter(is_catalogue_owner=True, is_active=True).exclude(email="")
    ]


def _person_recipient(access_request: PortalAccessRequest) -> Recipient:
    contact = access_request.contact
    if contact is not None and contact.email:
        return Recipient(email=contact.email, name=contact.name, language=contact.language)
    return Recipient(email=access_request.email, name=access_request.name, language=access_request.language)


def _absolute(path: str) -> str:
    return settings.TUGI_BASE_URL.rstrip("/") + path


def _context(access_request: PortalAccessRequest | None = None, **extra) -> dict:
    return {
        "access_request": access_request,
        "support_phone": settings.TUGI_SUPPORT_PHONE,
        **extra,
    }


def _notify(event: str, about: str, recipients: list[Recipient], context: dict) -> None:
    notify(event=event, about=about[:32], recipients=recipients, context=context)


def _create_request(*, actor: Actor, contact: Contact | None, **fields) -> tuple[PortalAccessRequest, bool]:
    """Create a pending request, or hand back the pending one a concurrent request just made: the
    unique constraints turn a race into the same answer as a repeat."""
    try:
        with transaction.atomic():
            created = PortalAccessRequest.objects.create(
                contact=contact,
                requested_by_user_id=actor.user_id,
                status=Status.PENDING,
                **fields,
            )
    except IntegrityError:
        existing = _pending_for(email=fields["email"], contact=contact)
        if existing is None:
            raise
        return existing, False
    return created, True


def _link_pending(
    *, actor: Actor, pending: PortalAccessRequest, contact: Contact | None
) -> PortalAccessRequest:
    """A repeat finds the pending request. If that one came from an unknown person and the repeat
    knows the contact, the request becomes the contact's, so the owner sees who it is."""
    if contact is None or pending.contact_id:
        return pending
    pending = PortalAccessRequest.objects.select_for_update().get(pk=pending.pk)
    pending.contact = contact
    pending.save(update_fields=["contact", "updated_at"])
    audit_record(actor=actor, action="access_request.linked", obj=pending, changes={"contact": contact})
    if contact.portal_access != PortalAccess.REQUESTED:
        _set_portal_access(actor=actor, contact=contact, state=PortalAccess.REQUESTED)
    return pending


def _after_request(*, actor: Actor, access_request: PortalAccessRequest, on_behalf: bool) -> None:
    contact = access_request.contact
    if contact is not None and contact.portal_access != PortalAccess.REQUESTED:
        _set_portal_access(actor=actor, contact=contact, state=PortalAccess.REQUESTED)
    audit_record(
        actor=actor,
        action="access_request.created",
        obj=access_request,
        changes={
            "name": access_request.name,
            "email": access_request.email,
            "organisation_name": access_request.organisation_name,
            "contact": contact,
            "requested_by": access_request.requested_by_label,
            "on_behalf": on_behalf,
        },
    )
    about = f"access-{access_request.pk}"
    review_url = _absolute(reverse("console:access_request_detail", args=[access_request.pk]))
    person = _person_recipient(access_request)
    _notify("access_requested", about, [person], _context(access_request, on_behalf=on_behalf))
    _notify(
        "access_requested",
        about,
        _owner_recipients(),
        _context(access_request, on_behalf=on_behalf, review_url=review_url),
    )


# --- asking ----------------------------------------------------------------------------------

@transaction.atomic
def access_request_create(
    *,
    actor: Actor,
    name: str,
    email: str,
    phone: str = "",
    organisation_name: str = "",
    message: str = "",
    language: str | None = None,
) -> PortalAccessRequest | None:
    """A person asks for client-portal access (K18), usually on the public page. When the address
    belongs to exactly one active contact, the request is that contact's. A repeat while a request
    is pending returns the pending one and sends nothing again. A contact who already has access
    gets no new request (None): the page answers the same either way, so it reveals nothing."""
    name = _required_text(name, field="name", message=_("Please tell us your name."))
    email = _required_text(email, field="email", message=_("Please give your email address: we answer there."))
    contact = contact_find_by_email(email)
    if contact is not None:
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if contact.portal_access == PortalAccess.APPROVED:
            return None
    pending = _pending_for(email=email, contact=contact)
    if pending is not None:
        return _link_pending(actor=actor, pending=pending, contact=contact)
    access_request, created = _create_request(
        actor=actor,
        contact=contact,
        name=name[:200],
        email=email,
        phone=(phone or "").strip()[:40],
        organisation_name=(organisation_name or "").strip()[:200],
        message=(message or "").strip(),
        language=_language(language),
        requested_by_label=(actor.label if actor.is_authenticated else name)[:200],
    )
    if created:
        _after_request(actor=actor, access_request=access_request, on_behalf=actor.is_staff)
    return access_request


@transaction.atomic
def access_request_create_for_contact(*, actor: Actor, contact: Contact, message: str = "") -> PortalAccessRequest:
    """The desk asks for portal access on a contact's behalf (K18), e.g. while on the phone with
    them. The catalogue owner still decides."""
    if not (actor.is_staff or actor.is_system):
        raise PermissionDenied(_("Only the service desk can ask for portal access on a client's behalf."))
    contact = Contact.objects.select_for_update().select_related("organisation").get(pk=contact.pk)
    if not contact.is_active:
        raise InvalidInput(_("This contact is no longer active."))
    if contact.portal_access == PortalAccess.APPROVED:
        raise InvalidInput(_("%(name)s already has access to the client portal.") % {"name": contact.name})
    if not contact.email:
        raise InvalidInput(
            _("Please add the contact's email address first: the link to choose a password is sent there."),
            field="email",
        )
    pending = _pending_for(email=contact.email, contact=contact)
    if pending is not None:
        return _link_pending(actor=actor, pending=pending, contact=contact)
    access_request, created = _create_request(
        actor=actor,
        contact=contact,
        name=contact.name,
        email=contact.email,
        phone=contact.phone,
        organisation_name=contact.organisation.name[:200],
        message=(message or "").strip(),
        language=contact.language,
        requested_by_label=actor.label[:200],
    )
    if created:
        _after_request(actor=actor, access_request=access_request, on_behalf=True)
    return access_request


# --- deciding --------------------------------------------------------------------------------

def _contact_for_approval(
    *, actor: Actor, access_request: PortalAccessRequest, contact: Contact | None, new_contact: NewContact | None
) -> Contact:
    if access_request.contact_id:
        if contact is not None and contact.pk != access_request.contact_id:
            raise InvalidInput(_("This request is already linked to a contact."), field="contact")
        return Contact.objects.select_for_update().get(pk=access_request.contact_id)
    if contact is not None:
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if not contact.is_active:
            raise InvalidInput(_("This contact is no longer active."), field="contact")
        return contact
    if new_contact is None:
        raise InvalidInput(
            _("Please choose an existing contact or enter a new one: access is given to a contact of an organisation."),
            field="contact",
        )
    name = _required_text(new_contact.name, field="name", message=_("Please give the contact's name."))
    email = _required_text(new_contact.email, field="email", message=_("Please give the contact's email address."))
    created = Contact.objects.create(
        organisation=new_contact.organisation,
        name=name,
        email=email,
        phone=(new_contact.phone or "").strip(),
        language=_language(new_contact.language),
    )
    audit_record(
        actor=actor,
        action="contact.created",
        obj=created,
        changes={"organisation": new_contact.organisation, "name": name, "email": email, "phone": created.phone},
    )
    return created


def _ensure_account(*, actor: Actor, contact: Contact):
    """The contact's sign-in account: made here when missing, with the address as the username and
    no usable password. The person chooses their password through the link in the mail."""
    if contact.user_id:
        if not contact.user.is_active:
            raise InvalidInput(
                _("The sign-in account of %(name)s is switched off. Please ask an administrator to switch it on.")
                % {"name": contact.name}
            )
        return contact.user
    if not contact.email:
        raise InvalidInput(
            _("Please add the contact's email address first: the link to choose a password is sent there."),
            field="email",
        )
    user_model = get_user_model()
    username = contact.email.strip().lower()
    if user_model.objects.filter(username__iexact=username).exists():
        raise InvalidInput(
            _("A sign-in account named %(username)s already exists. Please ask an administrator to link it.")
            % {"username": username},
            field="email",
        )
    user = user_model.objects.create_user(username=username, email=contact.email, password=None)
    contact.user = user
    contact.save(update_fields=["user", "updated_at"])
    audit_record(actor=actor, action="contact.account_created", obj=contact, changes={"username": username})
    return user


def set_password_url(user) -> str:
    """The link that lets the person choose their password (Django's password-reset token: it
    stops working once the password is set, or after PASSWORD_RESET_TIMEOUT)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return _absolute(reverse("portal:access_set_password", kwargs={"uidb64": uidb64, "token": token}))


@transaction.atomic
def access_request_approve(
    *,
    actor: Actor,
    access_request: PortalAccessRequest,
    contact: Contact | None = None,
    new_contact: NewContact | None = None,
    reason: str = "",
) -> Contact:
    """The catalogue owner approves (K18). A request from an unknown person is linked to an
    existing contact or to a new one. The contact gets a sign-in account if they have none and is
    sent a link to choose a password."""
    owner = _require_catalogue_owner(actor)
    access_request = _lock_request(access_request)
    target = _contact_for_approval(actor=actor, access_request=access_request, contact=contact, new_contact=new_contact)
    user = _ensure_account(actor=actor, contact=target)
    access_request.contact = target
    access_request.status = Status.APPROVED
    access_request.decided_by = owner
    access_request.decided_at = timezone.now()
    access_request.decision_reason = (reason or "").strip()
    access_request.save(
        update_fields=["contact", "status", "decided_by", "decided_at", "decision_reason", "updated_at"]
    )
    _set_portal_access(actor=actor, contact=target, state=PortalAccess.APPROVED)
    audit_record(
        actor=actor,
        action="access_request.approved",
        obj=access_request,
        changes={"contact": target, "reason": access_request.decision_reason},
    )
    _notify(
        "access_approved",
        f"access-{access_request.pk}",
        [Recipient(email=target.email, name=target.name, language=target.language)],
        _context(
            access_request,
            contact=target,
            username=user.get_username(),
            set_password_url=set_password_url(user),
            signin_url=_absolute(reverse("signin")),
            link_days=max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        ),
    )
    return target


@transaction.atomic
def access_request_refuse(*, actor: Actor, access_request: PortalAccessRequest, reason: str) -> PortalAccessRequest:
    """The catalogue owner refuses (K18), always with a reason: the person is told it."""
    owner = _require_catalogue_owner(actor)
    reason = _required_text(
        reason, field="reason", message=_("Please give a reason: the person is told why access was not given.")
    )
    access_request = _lock_request(access_request)
    access_request.status = Status.REFUSED
    access_request.decided_by = owner
    access_request.decided_at = timezone.now()
    access_request.decision_reason = reason
    access_request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    if access_request.contact_id:
        contact = Contact.objects.select_for_update().get(pk=access_request.contact_id)
        access_request.contact = contact
        if contact.portal_access != PortalAccess.APPROVED:
            _set_portal_access(actor=actor, contact=contact, state=PortalAccess.REFUSED, reason=reason)
    audit_record(actor=actor, action="access_request.refused", obj=access_request, changes={"reason": reason})
    _notify(
        "access_refused",
        f"access-{access_request.pk}",
        [_person_recipient(access_request)],
        _context(access_request, reason=reason),
    )
    return access_request


@transaction.atomic
def portal_access_withdraw(*, actor: Actor, contact: Contact, reason: str) -> Contact:
    """The catalogue owner withdraws a contact's portal access (K18), with a reason the contact is
    told. Their open sessions stop acting for them at once (``actor_for_user``)."""
    owner = _require_catalogue_owner(actor)
    reason = _required_text(
        reason, field="reason", message=_("Please give a reason: the contact is told why their access ends.")
    )
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.portal_access != PortalAccess.APPROVED:
        raise TransitionNotAllowed(_("%(name)s does not have access to the client portal.") % {"name": contact.name})
    _set_portal_access(actor=actor, contact=contact, state=PortalAccess.WITHDRAWN, reason=reason)
    approved = (
        PortalAccessRequest.objects.select_for_update()
        .filter(contact=contact, status=Status.APPROVED)
        .order_by("-decided_at", "-id")
        .first()
    )
    if approved is not None:
        approved.status = Status.WITHDRAWN
        approved.withdrawn_by = owner
        approved.withdrawn_at = timezone.now()
        approved.withdrawal_reason = reason
        approved.save(update_fields=["status", "withdrawn_by", "withdrawn_at", "withdrawal_reason", "updated_at"])
        audit_record(actor=actor, action="access_request.withdrawn", obj=approved, changes={"reason": reason})
    if contact.email:
        _notify(
            "access_withdrawn",
            f"contact-{contact.pk}",
            [Recipient(email=contact.email, name=contact.name, language=contact.language)],
            _context(approved, contact=contact, reason=reason),
        )
    return contact
