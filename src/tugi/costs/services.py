"""Every write of extra cost (K16) and of hardware and software orders (K20). Each function is one
business action in one transaction: it checks the policy, writes, records the audit event and a
conversation event on the ticket, and queues the notifications for after the commit."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tugi.catalog.models import Service
from tugi.core.actors import Actor, system_actor
from tugi.core.audit import audit_record
from tugi.core.errors import InvalidInput, PermissionDenied
from tugi.directory.models import Contact, StaffMember
from tugi.directory.selectors import representatives_of
from tugi.notifications.services import Recipient, notify
from tugi.tickets import services as tickets
from tugi.tickets.models import ConversationEntry, Ticket, TicketKind, TicketSource
from tugi.tickets.selectors import ticket_get_for
from tugi.tickets.services import ticket_event_add

from . import policies
from .models import CostConsultation, CostNotice, CostNoticeStatus, Order, OrderKind
from .policies import is_chargeable

MAX_AMOUNT = Decimal("9999999999.99")


# --- helpers ---------------------------------------------------------------------------------

def _event(ticket: Ticket, actor: Actor, body: str, *, is_internal: bool = False) -> ConversationEntry:
    return ticket_event_add(actor=actor, ticket=ticket, body=body, is_internal=is_internal)


def _staff(person: StaffMember | None) -> list[Recipient]:
    if person is None or not person.is_active or not person.email:
        return []
    return [Recipient(email=person.email, name=person.name, language=person.language, is_staff=True)]


def _contact(person: Contact | None) -> list[Recipient]:
    if person is None or not person.is_active or not person.email:
        return []
    return [Recipient(email=person.email, name=person.name, language=person.language)]


def _service_managers(ticket: Ticket) -> list[Recipient]:
    """The manager of the ticket's service; without a service, every active service manager."""
    if ticket.service_id:
        return _staff(ticket.service.service_manager)
    return [r for m in StaffMember.objects.filter(is_service_manager=True, is_active=True) for r in _staff(m)]


def _catalogue_owners() -> list[Recipient]:
    return [r for o in StaffMember.objects.filter(is_catalogue_owner=True, is_active=True) for r in _staff(o)]


def _clients(ticket: Ticket) -> list[Recipient]:
    """Who decides on the cost: the requester, or when none is known the organisation's representatives."""
    if ticket.requester_id:
        return _contact(ticket.requester)
    if ticket.organisation_id:
        return [r for rep in representatives_of(ticket.organisation_id) for r in _contact(rep)]
    return []


def _without(recipients: list[Recipient], actor: Actor) -> list[Recipient]:
    """The person who acted is not told about their own action."""
    own = set()
    if actor.staff_id:
        own = set(StaffMember.objects.filter(pk=actor.staff_id).values_list("email", flat=True))
    elif actor.contact_id:
        own = set(Contact.objects.filter(pk=actor.contact_id).values_list("email", flat=True))
    own = {e.lower() for e in own if e}
    return [r for r in recipients if r.email.lower() not in own]


def _context(ticket: Ticket, **extra) -> dict:
    base = settings.TUGI_BASE_URL.rstrip("/")
    return {
        "ticket": ticket,
        "support_phone": settings.TUGI_SUPPORT_PHONE,
        "portal_url": base + reverse("portal:ticket", kwargs={"reference": ticket.reference}),
        "console_url": base + reverse("console:ticket", kwargs={"reference": ticket.reference}),
        **extra,
    }


def _tell(event: str, ticket: Ticket, recipients: list[Recipient], actor: Actor, **context) -> None:
    notify(event=f"costs_{event}", about=ticket.reference, recipients=_without(recipients, actor),
           context=_context(ticket, **context))


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("Please give the amount as a number of euros, e.g. 120.50."), field="amount") from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise InvalidInput(_("The amount must be more than zero."), field="amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(_("The amount can have at most two decimals (cents)."), field="amount")
    return amount.quantize(Decimal("0.01"))


def _money(amount: Decimal, currency: str = "EUR") -> str:
    return f"{amount:.2f} {currency}"


def _lock_ticket(actor: Actor, ticket: Ticket) -> Ticket:
    """The ticket locked for this action, read again through the actor's own view of tickets (never
    Tugi's, so nobody acts on a ticket they may not see)."""
    return ticket_get_for(actor, ticket.reference, for_update=True)


def _lock_notice(actor: Actor, notice: CostNotice) -> CostNotice:
    """The notice locked for this action: its ticket first (through the actor, the same order as
    every other write on the ticket, so two writers cannot deadlock), then the notice of that ticket."""
    ticket = _lock_ticket(actor, notice.ticket)
    locked = CostNotice.objects.select_for_update(of=("self",)).select_related("created_by").get(
        pk=notice.pk, ticket=ticket)
    locked.ticket = ticket
    return locked


# --- the guard on starting work (K16) ------------------------------------------------------------

def cost_accepted_before_start(ticket: Ticket) -> str | None:
    """K16: chargeable work does not start until the client has accepted the cost of it. A newer
    notice that is still waiting for a price or for the client's decision holds the work (the cost
    the client accepted earlier is out of date), and so does a declined notice that is newer than
    every acceptance; at least one notice must be accepted."""
    if not is_chargeable(ticket):
        return None
    notices = list(CostNotice.objects.filter(ticket_id=ticket.pk).values_list("status", "decided_at", "pk"))
    statuses = {status for status, _decided, _pk in notices}
    if CostNoticeStatus.AWAITING_PRICE in statuses:
        return _("This work is chargeable: a service manager or the catalogue owner must enter the amount of "
                 "the cost notice, and the client must accept it, before work starts.")
    if CostNoticeStatus.AWAITING_CLIENT in statuses:
        return _("This work is chargeable: it can start once the client has accepted the cost notice.")
    decided = [(decided_at, pk, status) for status, decided_at, pk in notices if decided_at is not None]
    latest = max(decided)[2] if decided else None
    if latest == CostNoticeStatus.DECLINED:
        return _("This work is chargeable and the client declined the cost notice: the work cannot start "
                 "unless the client accepts a new cost notice.")
    if CostNoticeStatus.ACCEPTED in statuses:
        return None
    return _("This work is chargeable: write a cost notice, and the client must accept it before work starts.")


# --- the ticket's chargeable mark -------------------------------------------------------------

@transaction.atomic
def ticket_set_chargeable(*, actor: Actor, ticket: Ticket, is_chargeable: bool, reason: str = "") -> Ticket:
    """K16: the desk marks work chargeable (or not) even on a service that is not; kept in the audit trail."""
    if not policies.can_mark_chargeable(actor):
        raise PermissionDenied(_("Only the service desk decides whether work is chargeable."))
    ticket = _lock_ticket(actor, ticket)
    if ticket.is_chargeable == bool(is_chargeable):
        return ticket
    before = ticket.is_chargeable
    ticket.is_chargeable = bool(is_chargeable)
    ticket.save(update_fields=["is_chargeable", "updated_at"])
    reason = (reason or "").strip()
    text = _("The work was marked chargeable.") if is_chargeable else _("The work was marked not chargeable.")
    if reason:
        text += " " + _("Reason: %(reason)s") % {"reason": reason}
    _event(ticket, actor, text, is_internal=True)
    audit_record(actor=actor, action="costs.ticket_chargeable", obj=ticket,
                 changes={"is_chargeable": [before, ticket.is_chargeable], "reason": reason})
    return ticket


# --- cost notices ------------------------------------------------------------------------------

@transaction.atomic
def cost_notice_create(*, actor: Actor, ticket: Ticket, description: str, amount=None) -> CostNotice:
    """K16: tell the client what the extra cost is for. With an amount (entered by a service manager
    or the catalogue owner only) the client is asked at once; without one, the service manager is
    asked to price it."""
    if not policies.can_write_notice(actor):
        raise PermissionDenied(_("Only the service desk writes cost notices."))
    description = (description or "").strip()
    if not description:
        raise InvalidInput(_("Please write what the extra cost is for."), field="description")
    if amount not in (None, ""):
        if not policies.can_enter_amount(actor):
            raise PermissionDenied(_("Only a service manager or the service-catalogue owner can enter an amount. "
                                     "Write the notice without one and the service manager will price it."))
        amount = _amount(amount)
    else:
        amount = None
    ticket = _lock_ticket(actor, ticket)
    if not ticket.is_open:
        raise InvalidInput(_("The ticket is finished; a cost notice is written before the work."))
    now = timezone.now()
    notice = CostNotice.objects.create(
        ticket=ticket, description=description, amount=amount,
        status=CostNoticeStatus.AWAITING_CLIENT if amount is not None else CostNoticeStatus.AWAITING_PRICE,
        created_by_id=actor.staff_id, created_by_label=actor.label,
        priced_by_id=actor.staff_id if amount is not None else None, priced_at=now if amount is not None else None,
    )
    audit_record(actor=actor, action="costs.notice_create", obj=ticket,
                 changes={"notice": notice.pk, "description": description, "amount": amount})
    if amount is not None:
        _ask_client(actor, ticket, notice)
    else:
        _event(ticket, actor, _("Cost notice written, waiting for a price: %(what)s") % {"what": description},
               is_internal=True)
        _tell("notice_to_price", ticket, _service_managers(ticket), actor, notice=notice)
    return notice


def _ask_client(actor: Actor, ticket: Ticket, notice: CostNotice) -> None:
    _event(ticket, actor, _("Cost notice: %(what)s — %(amount)s. Waiting for the client's acceptance.")
           % {"what": notice.description, "amount": _money(notice.amount, notice.currency)})
    _tell("notice_awaiting", ticket, _clients(ticket), actor, notice=notice,
          amount=_money(notice.amount, notice.currency))


@transaction.atomic
def cost_notice_set_amount(*, actor: Actor, notice: CostNotice, amount) -> CostNotice:
    """K16: a service manager or the catalogue owner enters or changes the amount; the client is
    asked (again). A decided notice is not changed: write a new one."""
    if not policies.can_enter_amount(actor):
        raise PermissionDenied(_("Only a service manager or the service-catalogue owner can enter an amount."))
    amount = _amount(amount)
    notice = _lock_notice(actor, notice)
    if notice.is_decided:
        raise InvalidInput(_("The client has already decided on this cost notice; please write a new one."),
                           field="amount")
    if not notice.ticket.is_open:
        raise InvalidInput(_("The ticket is finished; a cost notice is written before the work."))
    before = notice.amount
    if before == amount and notice.status == CostNoticeStatus.AWAITING_CLIENT:
        return notice
    notice.amount = amount
    notice.status = CostNoticeStatus.AWAITING_CLIENT
    notice.priced_by_id = actor.staff_id
    notice.priced_at = timezone.now()
    notice.save(update_fields=["amount", "status", "priced_by", "priced_at", "updated_at"])
    audit_record(actor=actor, action="costs.notice_price", obj=notice.ticket,
                 changes={"notice": notice.pk, "amount": [before, amount]})
    _ask_client(actor, notice.ticket, notice)
    return notice


def _decide(actor: Actor, notice: CostNotice, comment: str) -> CostNotice:
    def check(ticket: Ticket) -> None:
        if not policies.can_decide_notice(actor, requester_id=ticket.requester_id,
                                          organisation_id=ticket.organisation_id):
            raise PermissionDenied(_("The cost is accepted or declined by the person who asked for the work or by "
                                     "a representative of your organisation."))

    check(notice.ticket)  # before the lock: the desk or another organisation is refused, not "not found"
    notice = _lock_notice(actor, notice)
    ticket = notice.ticket
    check(ticket)  # and again on the locked ticket (its requester may have changed meanwhile)
    if notice.status != CostNoticeStatus.AWAITING_CLIENT:
        raise InvalidInput(_("This cost notice is not waiting for your decision."))
    if not ticket.is_open:
        raise InvalidInput(_("This ticket is already finished."))
    notice.decided_by_id = actor.contact_id
    notice.decided_at = timezone.now()
    notice.client_comment = (comment or "").strip()
    return notice


@transaction.atomic
def cost_notice_accept(*, actor: Actor, notice: CostNotice, comment: str = "") -> CostNotice:
    """K16: the client accepts the extra cost; the work may start. The assignee, the notice's
    writer and the service manager are told."""
    notice = _decide(actor, notice, comment)
    notice.status = CostNoticeStatus.ACCEPTED
    notice.save(update_fields=["status", "decided_by", "decided_at", "client_comment", "updated_at"])
    ticket = notice.ticket
    text = _("The client accepted the cost notice: %(what)s — %(amount)s.") % {
        "what": notice.description, "amount": _money(notice.amount, notice.currency)}
    if notice.client_comment:
        text += " " + _("Comment: %(comment)s") % {"comment": notice.client_comment}
    _event(ticket, actor, text)
    audit_record(actor=actor, action="costs.notice_accept", obj=ticket,
                 changes={"notice": notice.pk, "amount": notice.amount, "comment": notice.client_comment})
    recipients = _staff(ticket.assignee) + _staff(notice.created_by) + _service_managers(ticket)
    _tell("notice_accepted", ticket, recipients, actor, notice=notice, amount=_money(notice.amount, notice.currency))
    return notice


@transaction.atomic
def cost_notice_decline(*, actor: Actor, notice: CostNotice, comment: str = "") -> CostNotice:
    """K16: the client declines the extra cost; the work does not start. The assignee and the
    service manager are told, with the client's comment."""
    notice = _decide(actor, notice, comment)
    notice.status = CostNoticeStatus.DECLINED
    notice.save(update_fields=["status", "decided_by", "decided_at", "client_comment", "updated_at"])
    ticket = notice.ticket
    text = _("The client declined the cost notice: %(what)s — %(amount)s.") % {
        "what": notice.description, "amount": _money(notice.amount, notice.currency)}
    if notice.client_comment:
        text += " " + _("Comment: %(comment)s") % {"comment": notice.client_comment}
    _event(ticket, actor, text)
    audit_record(actor=actor, action="costs.notice_decline", obj=ticket,
                 changes={"notice": notice.pk, "amount": notice.amount, "comment": notice.client_comment})
    recipients = _staff(ticket.assignee) + _service_managers(ticket)
    _tell("notice_declined", ticket, recipients, actor, notice=notice, amount=_money(notice.amount, notice.currency))
    return notice


# --- consulting the service-catalogue owner (K16) -----------------------------------------------

@transaction.atomic
def cost_consultation_ask(*, actor: Actor, ticket: Ticket, question: str) -> CostConsultation:
    """The desk is unsure whether the work is chargeable: it asks the service-catalogue owner, and
    every catalogue owner is told."""
    if not policies.can_consult(actor):
        raise PermissionDenied(_("Only the service desk consults the service-catalogue owner."))
    question = (question or "").strip()
    if not question:
        raise InvalidInput(_("Please write what you would like the catalogue owner to decide."), field="question")
    ticket = _lock_ticket(actor, ticket)
    consultation = CostConsultation.objects.create(
        ticket=ticket, question=question, asked_by_id=actor.staff_id, asked_by_label=actor.label
    )
    _event(ticket, actor, _("Asked the service-catalogue owner whether the work is chargeable: %(q)s")
           % {"q": question}, is_internal=True)
    audit_record(actor=actor, action="costs.consultation_ask", obj=ticket,
                 changes={"consultation": consultation.pk, "question": question})
    base = settings.TUGI_BASE_URL.rstrip("/")
    _tell("consultation_asked", ticket, _catalogue_owners(), actor, consultation=consultation,
          answer_url=base + reverse("console:costs_consultations"))
    return consultation


@transaction.atomic
def cost_consultation_answer(
    *, actor: Actor, consultation: CostConsultation, is_chargeable: bool, explanation: str
) -> CostConsultation:
    """The catalogue owner answers; the answer is kept, and "chargeable" marks the ticket chargeable.
    The one who asked and the assignee are told."""
    if not policies.can_answer_consultation(actor):
        raise PermissionDenied(_("Only the service-catalogue owner answers whether work is chargeable."))
    explanation = (explanation or "").strip()
    if not explanation:
        raise InvalidInput(_("Please explain the answer: the desk passes it on to the client."), field="explanation")
    consultation = CostConsultation.objects.select_for_update(of=("self",)).select_related(
        "ticket", "ticket__assignee", "asked_by").get(pk=consultation.pk)
    if not consultation.is_open:
        raise InvalidInput(_("This question has already been answered."))
    consultation.is_chargeable = bool(is_chargeable)
    consultation.answer = explanation
    consultation.answered_by_id = actor.staff_id
    consultation.answered_at = timezone.now()
    consultation.save(update_fields=["is_chargeable", "answer", "answered_by", "answered_at"])
    ticket = consultation.ticket
    verdict = _("chargeable") if is_chargeable else _("not chargeable")
    _event(ticket, actor, _("The service-catalogue owner answered: the work is %(verdict)s. %(why)s")
           % {"verdict": verdict, "why": explanation}, is_internal=True)
    audit_record(actor=actor, action="costs.consultation_answer", obj=ticket,
                 changes={"consultation": consultation.pk, "is_chargeable": bool(is_chargeable),
                          "explanation": explanation})
    if is_chargeable:
        ticket_set_chargeable(actor=actor, ticket=ticket, is_chargeable=True,
                              reason=_("the service-catalogue owner's answer"))
    recipients = _staff(consultation.asked_by) + _staff(ticket.assignee)
    _tell("consultation_answered", ticket, recipients, actor, consultation=consultation)
    return consultation


# --- hardware and software orders (K20) ----------------------------------------------------------

@transaction.atomic
def order_create(
    *, actor: Actor, service: Service, kind: str, item: str, quantity: int, justification: str,
    deliver_to: str, requester: Contact | None = None, source: str | None = None,
) -> Order:
    """K20: an order of hardware or software is a service request that goes straight to the
    chosen service's manager. It carries no price: the service manager sends the quote as a cost
    notice. A client orders for themself; the desk orders for a caller."""
    if kind not in OrderKind.values:
        raise InvalidInput(_("Please choose hardware or software."), field="kind")
    item = (item or "").strip()
    if not item:
        raise InvalidInput(_("Please write what you would like to order."), field="item")
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        quantity = 0
    if quantity < 1 or quantity > 100000:
        raise InvalidInput(_("Please give how many you need (at least one)."), field="quantity")
    justification = (justification or "").strip()
    if not justification:
        raise InvalidInput(_("Please tell us why it is needed: the service manager decides with it."),
                           field="justification")
    deliver_to = (deliver_to or "").strip()
    if not deliver_to:
        raise InvalidInput(_("Please tell us for whom or where it is needed."), field="deliver_to")
    if service is None or not service.is_active:
        raise InvalidInput(_("Please choose a service from the catalogue."), field="service")
    if actor.is_staff and requester is None:
        # The desk orders for a caller, who gets the quote and the order's news.
        raise InvalidInput(_("Please choose whom the order is for."), field="requester")
    if actor.is_client:
        source = source or TicketSource.PORTAL
    elif actor.is_staff:
        source = source or TicketSource.AGENT
    title = _("Order of %(kind)s: %(quantity)s × %(item)s") % {
        "kind": OrderKind(kind).label, "quantity": quantity, "item": item}
    description = "\n".join([
        _("What: %(item)s") % {"item": item},
        _("Quantity: %(quantity)s") % {"quantity": quantity},
        _("For whom / where: %(deliver_to)s") % {"deliver_to": deliver_to},
        _("Why it is needed: %(why)s") % {"why": justification},
    ])
    ticket = tickets.ticket_create(
        actor=actor, kind=TicketKind.SERVICE_REQUEST, title=title, description=description, source=source,
        requester=requester, service=service,
    )
    order = Order.objects.create(
        ticket=ticket, service=service, kind=kind, item=item[:250], quantity=quantity, justification=justification,
        deliver_to=deliver_to[:250], ordered_by_label=actor.label, ordered_by_user_id=actor.user_id,
    )
    audit_record(actor=actor, action="costs.order_create", obj=ticket,
                 changes={"order": order.pk, "kind": kind, "item": item, "quantity": quantity, "service": service})
    manager = service.service_manager
    router = system_actor(_("Tugi (orders go to the service manager)"))
    if manager.is_active and manager.is_agent:
        order.ticket = tickets.ticket_assign(actor=router, ticket=ticket, assignee=manager)  # it tells the manager
    else:
        _event(ticket, router, _("The order could not be assigned to the service manager %(name)s, who is not an "
                                 "active specialist; it waits unassigned.") % {"name": manager.name},
               is_internal=True)
        _tell("order_unassigned", ticket, _staff(manager), actor, order=order)
    return order
