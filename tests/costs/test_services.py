"""K16 extra cost and K20 orders: the rules of the services, allowed and refused, who is told, the audit."""

from decimal import Decimal

import pytest

from tugi.core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from tugi.core.models import AuditEvent
from tugi.costs import services
from tugi.costs.models import CostNoticeStatus, Order, OrderKind
from tugi.notifications.models import Notification
from tugi.tickets import services as tickets
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import ConversationEntry, Ticket, TicketKind, TicketState

from ..factories import StaffFactory


def mails(event, email=None):
    qs = Notification.objects.filter(event=event)
    if email:
        qs = qs.filter(recipient_email=email)
    return qs


def start(cast, ticket):
    return tickets.ticket_transition(actor=cast.actor("agent"), ticket=ticket, action=Action.START)


# --- the guard -------------------------------------------------------------------------------------

def test_chargeable_service_work_cannot_start_before_a_notice_K16(cast, chargeable):
    with pytest.raises(TransitionNotAllowed, match="chargeable"):
        start(cast, chargeable)


def test_work_on_a_plain_ticket_starts_K16(cast, plain):
    assert start(cast, plain).state == TicketState.IN_PROGRESS


def test_ticket_marked_chargeable_by_the_desk_waits_for_acceptance_K16(cast, plain):
    services.ticket_set_chargeable(actor=cast.actor("agent"), ticket=plain, is_chargeable=True, reason="Extra")
    with pytest.raises(TransitionNotAllowed, match="chargeable"):
        start(cast, plain)
    assert AuditEvent.objects.filter(action="costs.ticket_chargeable").exists()
    assert ConversationEntry.objects.filter(ticket=plain, is_internal=True, body__contains="chargeable").exists()


def test_client_cannot_mark_work_chargeable_K16(cast, plain):
    with pytest.raises(PermissionDenied):
        services.ticket_set_chargeable(actor=cast.actor("client_a"), ticket=plain, is_chargeable=True)


def test_full_flow_priced_accepted_then_work_starts_K16(cast, chargeable):
    notice = services.cost_notice_create(actor=cast.actor("agent"), ticket=chargeable, description="Add-on licence")
    assert notice.status == CostNoticeStatus.AWAITING_PRICE and notice.amount is None
    assert mails("costs_notice_to_price", cast.service_manager.email).exists()
    with pytest.raises(TransitionNotAllowed, match="amount"):
        start(cast, chargeable)

    notice = services.cost_notice_set_amount(actor=cast.actor("service_manager"), notice=notice, amount="120,50")
    assert notice.amount == Decimal("120.50") and notice.status == CostNoticeStatus.AWAITING_CLIENT
    ask = mails("costs_notice_awaiting", cast.client_a.email).get()
    assert "120.50 EUR" in ask.body
    with pytest.raises(TransitionNotAllowed, match="accepted the cost notice"):
        start(cast, chargeable)

    services.cost_notice_accept(actor=cast.actor("client_a"), notice=notice, comment="Fine")
    assert mails("costs_notice_accepted", cast.agent.email).exists()
    assert mails("costs_notice_accepted", cast.service_manager.email).exists()
    assert start(cast, chargeable).state == TicketState.IN_PROGRESS
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"costs.notice_create", "costs.notice_price", "costs.notice_accept"} <= actions


def test_client_is_asked_politely_and_told_why_K16_S4(cast, chargeable):
    cast.client_a.language = "et"
    cast.client_a.save(update_fields=["language"])
    services.cost_notice_create(actor=cast.actor("service_manager"), ticket=chargeable, description="Licence",
                                amount=Decimal("99"))
    body = mails("costs_notice_awaiting", cast.client_a.email).get().body
    assert "99.00 EUR" in body
    # Estonian is translated later from the .po; the English source asks and says why.
    assert "because this work is chargeable" in body or "tasuline" in body


# --- amounts: only the catalogue owner and service managers ------------------------------------------

def test_agent_cannot_enter_an_amount_K16(cast, chargeable):
    with pytest.raises(PermissionDenied, match="service manager"):
        services.cost_notice_create(actor=cast.actor("agent"), ticket=chargeable, description="X", amount="10")
    notice = services.cost_notice_create(actor=cast.actor("agent"), ticket=chargeable, description="X")
    with pytest.raises(PermissionDenied):
        services.cost_notice_set_amount(actor=cast.actor("agent"), notice=notice, amount="10")


def test_catalogue_owner_may_enter_an_amount_K16(cast, chargeable):
    notice = services.cost_notice_create(actor=cast.actor("catalogue_owner"), ticket=chargeable, description="X",
                                         amount="10")
    assert notice.status == CostNoticeStatus.AWAITING_CLIENT


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "1.005", "NaN"])
def test_amount_must_be_a_positive_sum_in_cents_K16(cast, chargeable, amount):
    with pytest.raises(InvalidInput):
        services.cost_notice_create(actor=cast.actor("service_manager"), ticket=chargeable, description="X",
                                    amount=amount)


def test_notice_needs_a_description_K16(cast, chargeable):
    with pytest.raises(InvalidInput):
        services.cost_notice_create(actor=cast.actor("agent"), ticket=chargeable, description="  ")


def test_decided_notice_is_not_repriced_K16(cast, chargeable):
    notice = services.cost_notice_create(actor=cast.actor("service_manager"), ticket=chargeable, description="X",
                                         amount="10")
    services.cost_notice_accept(actor=cast.actor("client_a"), notice=notice)
    with pytest.raises(InvalidInput):
        services.cost_notice_set_amount(actor=cast.actor("service_manager"), notice=notice, amount="20")


# --- the client's decision -----------------------------------------------------------------------------

def test_decline_tells_the_assignee_and_the_service_manager_K16(cast, chargeable):
    notice = services.cost_notice_create(actor=cast.actor("service_manager"), ticket=chargeable,
                                         description="Licence", amount="300")
    services.cost_notice_decline(actor=cast.actor("client_a"), notice=notice, comment="Too much for us")
    notice.refresh_from_db()
    assert notice.status == CostNoticeStatus.DECLINED and notice.decided_by == cast.client_a
    assert mails("costs_notice_declined", cast.agent.email).exists()
    assert "Too much for us" in mails("costs_notice_declined", cast.service_manager.email).get().body
    with pytest.raises(TransitionNotAllowed, match="declined"):
        start(cast, chargeable)
    assert AuditEvent.objects.filter(action="costs.notice_decline").exists()


def _priced(cast, ticket, amount="10"):
    return services.cost_notice_create(actor=cast.actor("service_manager"), ticket=ticket, description="X",
                                       amount=amount)


def test_a_newer_notice_awaiting_the_client_holds_the_work_K16(cast, chargeable):
    services.cost_notice_accept(actor=cast.actor("client_a"), notice=_priced(cast, chargeable))
    _priced(cast, chargeable, amount="500")  # the cost grew: the earlier acceptance is out of date
    with pytest.raises(TransitionNotAllowed, match="accepted the cost notice"):
        start(cast, chargeable)


def test_a_newer_notice_awaiting_a_price_holds_the_work_K16(cast, chargeable):
    services.cost_notice_accept(actor=cast.actor("client_a"), notice=_priced(cast, chargeable))
    services.cost_notice_create(actor=cast.actor("agent"), ticket=chargeable, description="More parts")
    with pytest.raises(TransitionNotAllowed, match="amount"):
        start(cast, chargeable)


def test_a_decline_after_an_acceptance_holds_the_work_K16(cast, chargeable):
    services.cost_notice_accept(actor=cast.actor("client_a"), notice=_priced(cast, chargeable))
    services.cost_notice_decline(actor=cast.actor("client_a"), notice=_priced(cast, chargeable, amount="500"),
                                 comment="No")
    with pytest.raises(TransitionNotAllowed, match="declined"):
        start(cast, chargeable)


def test_an_acceptance_after_a_decline_lets_the_work_start_K16(cast, chargeable):
    services.cost_notice_decline(actor=cast.actor("client_a"), notice=_priced(cast, chargeable, amount="500"),
                                 comment="No")
    services.cost_notice_accept(actor=cast.actor("client_a"), notice=_priced(cast, chargeable, amount="100"))
    assert start(cast, chargeable).state == TicketState.IN_PROGRESS


def test_representative_may_decide_K16(cast, chargeable):
    notice = services.cost_notice_create(actor=cast.actor("service_manager"), ticket=chargeable, description="X",
                                         amount="10")
    services.cost_notice_accept(actor=cast.actor("representative_a"), notice=notice)
    notice.refresh_from_db()
    assert notice.status == CostNoticeStatus.ACCEPTED and notice.decided_by == cast.representative_a
    assert notice.decided_at is not None


def test_other_organisation_and_staff_cannot_decide_K16(cast, chargeable):
    notice = services.cost_notice_create(actor=cast.actor("service_manager"), ticket=chargeable, description="X",
                                         amount="10")
    for who in ("client_b", "agent"):
        with pytest.raises(PermissionDenied):
            services.cost_notice_accept(actor=cast.actor(who), notice=notice)


def test_unpriced_notice_cannot_be_accepted_K16(cast, chargeable):
    notice = services.cost_notice_create(actor=cast.actor("agent"), ticket=chargeable, description="X")
    with pytest.raises(InvalidInput):
        services.cost_notice_accept(actor=cast.actor("client_a"), notice=notice)


def test_notice_is_decided_once_K16(cast, chargeable):
    notice = services.cost_notice_create(actor=cast.actor("service_manager"), ticket=chargeable, description="X",
                                         amount="10")
    services.cost_notice_accept(actor=cast.actor("client_a"), notice=notice)
    with pytest.raises(InvalidInput):
        services.cost_notice_decline(actor=cast.actor("client_a"), notice=notice)


def _spy_on_ticket_locks(monkeypatch):
    calls = []
    real = services.ticket_get_for

    def spy(actor, reference, *, for_update=False):
        calls.append((actor.kind.value, for_update))
        return real(actor, reference, for_update=for_update)

    monkeypatch.setattr(services, "ticket_get_for", spy)
    return calls


def test_deciding_locks_the_ticket_through_the_client_first_K16(cast, chargeable, monkeypatch):
    notice = _priced(cast, chargeable)
    calls = _spy_on_ticket_locks(monkeypatch)
    services.cost_notice_accept(actor=cast.actor("client_a"), notice=notice)
    assert calls == [("client", True)]


def test_pricing_locks_the_ticket_through_the_manager_first_K16(cast, chargeable, monkeypatch):
    notice = services.cost_notice_create(actor=cast.actor("agent"), ticket=chargeable, description="X")
    calls = _spy_on_ticket_locks(monkeypatch)
    services.cost_notice_set_amount(actor=cast.actor("service_manager"), notice=notice, amount="10")
    assert calls == [("staff", True)]


def test_the_cost_selectors_do_not_import_the_services():
    import ast
    import inspect

    from tugi.costs import selectors

    tree = ast.parse(inspect.getsource(selectors))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "services" not in imported and "tugi.costs.services" not in imported


# --- consulting the catalogue owner ---------------------------------------------------------------

def test_consultation_tells_every_catalogue_owner_K16(cast, plain):
    other = StaffFactory(name="Second Owner", is_catalogue_owner=True)
    services.cost_consultation_ask(actor=cast.actor("agent"), ticket=plain, question="Is toner chargeable?")
    told = set(mails("costs_consultation_asked").values_list("recipient_email", flat=True))
    assert {cast.catalogue_owner.email, other.email} <= told
    assert AuditEvent.objects.filter(action="costs.consultation_ask").exists()


def test_chargeable_answer_marks_the_ticket_K16(cast, plain):
    question = services.cost_consultation_ask(actor=cast.actor("agent"), ticket=plain, question="Toner?")
    services.cost_consultation_answer(actor=cast.actor("catalogue_owner"), consultation=question,
                                      is_chargeable=True, explanation="Consumables are billed")
    plain.refresh_from_db()
    question.refresh_from_db()
    assert plain.is_chargeable and question.is_chargeable and question.answered_by == cast.catalogue_owner
    assert mails("costs_consultation_answered", cast.agent.email).exists()
    with pytest.raises(TransitionNotAllowed):
        start(cast, plain)


def test_not_chargeable_answer_leaves_the_ticket_K16(cast, plain):
    question = services.cost_consultation_ask(actor=cast.actor("agent"), ticket=plain, question="Toner?")
    services.cost_consultation_answer(actor=cast.actor("catalogue_owner"), consultation=question,
                                      is_chargeable=False, explanation="Included in the contract")
    plain.refresh_from_db()
    assert not plain.is_chargeable
    assert start(cast, plain).state == TicketState.IN_PROGRESS


def test_only_the_catalogue_owner_answers_once_K16(cast, plain):
    question = services.cost_consultation_ask(actor=cast.actor("agent"), ticket=plain, question="Toner?")
    for who in ("agent", "service_manager", "client_a"):
        with pytest.raises(PermissionDenied):
            services.cost_consultation_answer(actor=cast.actor(who), consultation=question, is_chargeable=True,
                                              explanation="x")
    with pytest.raises(InvalidInput):
        services.cost_consultation_answer(actor=cast.actor("catalogue_owner"), consultation=question,
                                          is_chargeable=True, explanation=" ")
    services.cost_consultation_answer(actor=cast.actor("catalogue_owner"), consultation=question,
                                      is_chargeable=True, explanation="Yes")
    with pytest.raises(InvalidInput):
        services.cost_consultation_answer(actor=cast.actor("catalogue_owner"), consultation=question,
                                          is_chargeable=False, explanation="No")


def test_client_cannot_consult_K16(cast, plain):
    with pytest.raises(PermissionDenied):
        services.cost_consultation_ask(actor=cast.actor("client_a"), ticket=plain, question="?")


# --- orders (K20) -------------------------------------------------------------------------------------

def test_the_desk_orders_for_a_caller_and_must_say_whom_K20(cast):
    with pytest.raises(InvalidInput) as refused:
        order(cast, who="agent")
    assert refused.value.field == "requester" and not Ticket.objects.exists()


def order(cast, who="client_a", **fields):
    values = dict(service=cast.service, kind=OrderKind.HARDWARE, item="Laptop 14\"", quantity=2,
                  justification="New colleagues", deliver_to="Anna, Tartu office")
    values.update(fields)
    return services.order_create(actor=cast.actor(who), **values)


def test_order_goes_straight_to_the_service_manager_K20(cast):
    made = order(cast)
    ticket = made.ticket
    assert ticket.kind == TicketKind.SERVICE_REQUEST and ticket.requester == cast.client_a
    assert ticket.assignee == cast.service_manager and ticket.state == TicketState.ASSIGNED
    assert ticket.service == cast.service
    assert mails("ticket_assigned", cast.service_manager.email).filter(subject_reference=ticket.reference).exists()
    assert mails("ticket_created", cast.client_a.email).exists()
    assert AuditEvent.objects.filter(action="costs.order_create").exists()
    assert "New colleagues" in ticket.description


def test_order_waits_unassigned_when_the_manager_is_no_specialist_K20(cast):
    cast.service_manager.is_agent = False
    cast.service_manager.save(update_fields=["is_agent"])
    made = order(cast)
    assert made.ticket.assignee is None
    assert mails("costs_order_unassigned", cast.service_manager.email).exists()


def test_desk_orders_for_a_caller_K20(cast):
    made = order(cast, who="agent", requester=cast.client_a, kind=OrderKind.SOFTWARE, source="phone")
    assert made.ticket.requester == cast.client_a and made.ticket.source == "phone"
    assert Order.objects.count() == 1


@pytest.mark.parametrize("field", ["item", "justification", "deliver_to"])
def test_order_needs_what_why_and_where_K20(cast, field):
    with pytest.raises(InvalidInput) as refusal:
        order(cast, **{field: ""})
    assert refusal.value.field == field


def test_order_needs_a_quantity_and_kind_K20(cast):
    with pytest.raises(InvalidInput):
        order(cast, quantity=0)
    with pytest.raises(InvalidInput):
        order(cast, kind="furniture")


def test_quote_is_a_cost_notice_from_the_service_manager_K20(cast):
    ticket = order(cast).ticket
    notice = services.cost_notice_create(actor=cast.actor("service_manager"), ticket=ticket,
                                         description="Quote: 2 laptops", amount="2400")
    services.cost_notice_accept(actor=cast.actor("client_a"), notice=notice)
    notice.refresh_from_db()
    assert notice.status == CostNoticeStatus.ACCEPTED
