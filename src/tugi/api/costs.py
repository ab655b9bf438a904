"""API v1 routes of the costs flow: extra cost before the work (K16) and orders of hardware and
software (K20). Each route parses input, calls one selector or service, and serialises."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tugi.core.errors import InvalidInput, PermissionDenied
from tugi.costs import selectors, services
from tugi.directory.selectors import contact_list_for
from tugi.tickets.models import TicketSource
from tugi.tickets.prices import mentions_price
from tugi.tickets.selectors import ticket_get_for

from .schemas import ALWAYS, REFUSALS

router = Router(tags=["costs"])



class NoticeOut(Schema):
    id: int
    description: str
    amount: Decimal | None = Field(None, description="null until a service manager or the catalogue owner prices it")
    currency: str
    status: str = Field(..., description="awaiting_price, awaiting_client, accepted or declined")
    written_by: str = Field(..., alias="created_by_label")
    priced_at: dt.datetime | None
    decided_by: str | None = None
    decided_at: dt.datetime | None
    client_comment: str
    created_at: dt.datetime

    @staticmethod
    def resolve_decided_by(obj) -> str | None:
        return obj.decided_by.name if obj.decided_by_id else None


class ConsultationOut(Schema):
    id: int
    ticket: str
    question: str
    asked_by: str = Field(..., alias="asked_by_label")
    asked_at: dt.datetime
    is_chargeable: bool | None = Field(None, description="the catalogue owner's answer; null while open")
    answer: str
    answered_by: str | None = None
    answered_at: dt.datetime | None

    @staticmethod
    def resolve_ticket(obj) -> str:
        return obj.ticket.reference

    @staticmethod
    def resolve_answered_by(obj) -> str | None:
        return obj.answered_by.name if obj.answered_by_id else None


class OrderOut(Schema):
    ticket: str
    service_id: int
    kind: str
    item: str
    quantity: int
    justification: str
    deliver_to: str
    created_at: dt.datetime

    @staticmethod
    def resolve_ticket(obj) -> str:
        return obj.ticket.reference


class CostsOut(Schema):
    is_chargeable: bool = Field(..., description="the service is chargeable or the desk marked the work so")
    service_is_chargeable: bool
    ticket_is_chargeable: bool
    notices: list[NoticeOut]
    consultations: list[ConsultationOut] = Field(..., description="the desk's questions (empty for clients)")
    order: OrderOut | None


class ChargeableIn(Schema):
    is_chargeable: bool
    reason: str = ""


class NoticeIn(Schema):
    description: str
    amount: Decimal | None = Field(None, description="only a service manager or the catalogue owner may send one")


class AmountIn(Schema):
    amount: Decimal


class DecisionIn(Schema):
    accept: bool
    comment: str = ""


class QuestionIn(Schema):
    question: str


class ConsultationAnswerIn(Schema):
    is_chargeable: bool
    explanation: str


class OrderIn(Schema):
    service_id: int
    kind: Literal["hardware", "software"]
    item: str
    quantity: int = 1
    justification: str
    deliver_to: str
    requester_id: int | None = Field(None, description="the desk orders for this client; a client for themself")


class PriceCheckIn(Schema):
    text: str


class PriceCheckOut(Schema):
    mentions: list[str] = Field(..., description="passages that read as a price, a cost or a magnitude (K20)")


def _summary(request, ticket) -> dict:
    return selectors.cost_summary_for(request.actor, ticket)


@router.get("/tickets/{reference}/costs", response={200: CostsOut, **ALWAYS})
def get_costs(request: HttpRequest, reference: str):
    """Whether the ticket's work is chargeable, its cost notices and (for the desk) the questions to
    the catalogue owner (K16), and the order behind it (K20)."""
    return _summary(request, ticket_get_for(request.actor, reference))


@router.post("/tickets/{reference}/costs/chargeable", response={200: CostsOut, **REFUSALS})
def set_chargeable(request: HttpRequest, reference: str, payload: ChargeableIn):
    """The desk marks the work chargeable (or not) (K16). Clients get 403."""
    ticket = ticket_get_for(request.actor, reference)
    ticket = services.ticket_set_chargeable(actor=request.actor, ticket=ticket, is_chargeable=payload.is_chargeable,
                                            reason=payload.reason)
    return _summary(request, ticket)


@router.post("/tickets/{reference}/cost-notices", response={201: NoticeOut, **REFUSALS})
def create_notice(request: HttpRequest, reference: str, payload: NoticeIn):
    """Write a cost notice (K16). With ``amount`` (service managers and the catalogue owner only) the
    client is asked at once; without, the service manager is asked to price it."""
    ticket = ticket_get_for(request.actor, reference)
    notice = services.cost_notice_create(actor=request.actor, ticket=ticket, description=payload.description,
                                         amount=payload.amount)
    return Status(201, notice)


@router.post("/tickets/{reference}/cost-notices/{notice_id}/amount", response={200: NoticeOut, **REFUSALS})
def set_amount(request: HttpRequest, reference: str, notice_id: int, payload: AmountIn):
    """Enter or change the amount of an undecided notice (K16): service managers and the catalogue owner."""
    ticket = ticket_get_for(request.actor, reference)
    notice = selectors.cost_notice_get_for(request.actor, ticket, notice_id)
    return services.cost_notice_set_amount(actor=request.actor, notice=notice, amount=payload.amount)


@router.post("/tickets/{reference}/cost-notices/{notice_id}/decision", response={200: NoticeOut, **REFUSALS})
def decide(request: HttpRequest, reference: str, notice_id: int, payload: DecisionIn):
    """The client accepts or declines the cost (K16): the requester or a representative of the
    organisation. Declining tells the assignee and the service manager."""
    ticket = ticket_get_for(request.actor, reference)
    notice = selectors.cost_notice_get_for(request.actor, ticket, notice_id)
    service = services.cost_notice_accept if payload.accept else services.cost_notice_decline
    return service(actor=request.actor, notice=notice, comment=payload.comment)


@router.post("/tickets/{reference}/cost-consultations", response={201: ConsultationOut, **REFUSALS})
def consult(request: HttpRequest, reference: str, payload: QuestionIn):
    """The desk asks the service-catalogue owner whether the work is chargeable (K16)."""
    ticket = ticket_get_for(request.actor, reference)
    return Status(201, services.cost_consultation_ask(actor=request.actor, ticket=ticket, question=payload.question))


@router.get("/cost-consultations", response={200: list[ConsultationOut], **REFUSALS})
def open_consultations(request: HttpRequest):
    """The questions waiting for the catalogue owner's answer, oldest first: the catalogue owner's
    list, as in the console (the desk reads each ticket's questions on the ticket)."""
    if not request.actor.is_catalogue_owner:
        raise PermissionDenied(_("The open questions are the service-catalogue owner's list; each ticket shows "
                                 "its own questions."))
    return list(selectors.open_consultations_for(request.actor)[:200])


@router.post("/tickets/{reference}/cost-consultations/{consultation_id}/answer",
             response={200: ConsultationOut, **REFUSALS})
def answer(request: HttpRequest, reference: str, consultation_id: int, payload: ConsultationAnswerIn):
    """The catalogue owner answers (K16); "chargeable" marks the ticket chargeable."""
    ticket = ticket_get_for(request.actor, reference)
    consultation = selectors.cost_consultation_get_for(request.actor, ticket, consultation_id)
    return services.cost_consultation_answer(actor=request.actor, consultation=consultation,
                                             is_chargeable=payload.is_chargeable, explanation=payload.explanation)


@router.post("/orders", response={201: OrderOut, **REFUSALS})
def create_order(request: HttpRequest, payload: OrderIn):
    """Order hardware or software (K20): a service request assigned straight to the service's
    manager, who sends the quote as a cost notice. There is no price field."""
    actor = request.actor
    service = selectors.orderable_services_for(actor).filter(pk=payload.service_id).first()
    if service is None:
        raise InvalidInput(_("Unknown service."), field="service_id")
    requester = None
    if actor.is_staff:
        requester = contact_list_for(actor).filter(pk=payload.requester_id).first() if payload.requester_id else None
        if requester is None:
            raise InvalidInput(_("Unknown requester.") if payload.requester_id else
                               _("Please choose whom the order is for."), field="requester_id")
    made = services.order_create(
        actor=actor, service=service, kind=payload.kind, item=payload.item, quantity=payload.quantity,
        justification=payload.justification, deliver_to=payload.deliver_to, requester=requester,
        source=TicketSource.API,
    )
    return Status(201, made)


@router.post("/prices/check", response={200: PriceCheckOut, **REFUSALS})
def check_prices(request: HttpRequest, payload: PriceCheckIn):
    """What in a reply reads as a price or a magnitude (K20): the desk never quotes them."""
    return {"mentions": mentions_price(payload.text)}
