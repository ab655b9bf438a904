"""API v1 routes of the remote flow: remote support with its account (K19) and work by other
parties on an item (K9). Lists never carry the account details; they come out only through
``reveal``, for the desk, audited, with ``Cache-Control: no-store``."""

from __future__ import annotations

import datetime as dt
import typing

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from ninja import Field, Router, Schema, Status

from tugi.cmdb import services as cmdb_services
from tugi.cmdb.selectors import ci_get_for, third_party_work_current_for_items, third_party_work_for_ci
from tugi.remote import selectors, services
from tugi.remote.models import RemoteMethod
from tugi.tickets.selectors import ticket_ci_links_for, ticket_get_for

from .schemas import ALWAYS, REFUSALS, Ref

router = Router(tags=["remote"])



class RemoteOrderOut(Schema):
    id: int
    method: str
    method_label: str = Field(..., description="the method's name, or the tool named for “other”")
    configuration_item: Ref
    account: str = Field(..., alias="masked", description="always “••••” while details are stored, else empty; "
                                                           "the details themselves come only from reveal")
    notes: str = Field(..., description="the client's notes for the specialist (not secret)")
    status: str
    ordered_by: str = Field(..., alias="ordered_by_label")
    created_at: dt.datetime
    updated_at: dt.datetime
    revoked_at: dt.datetime | None
    revoked_by: str = Field(..., alias="revoked_by_label")


# K19: repr=False keeps the account out of every repr of a payload (log lines, error reports).
class RemoteOrderIn(Schema):
    method: RemoteMethod
    method_detail: str = Field("", max_length=100, description="the tool's name when method is “other”")
    configuration_item_id: int = Field(..., description="an item of the ticket's organisation, not retired")
    account_identifier: str = Field(..., min_length=1, max_length=500, description="stored encrypted", repr=False)
    password: str = Field("", max_length=500, description="stored encrypted", repr=False)
    notes: str = Field("", repr=False)


class ReplaceIn(Schema):
    account_identifier: str = Field(..., min_length=1, max_length=500, repr=False)
    password: str = Field("", max_length=500, repr=False)
    notes: str | None = Field(None, repr=False)


class RevokeIn(Schema):
    reason: str = ""


class RevealedOut(Schema):
    order_id: int
    account_identifier: str = Field(..., repr=False)
    password: str = Field(..., repr=False)


class ThirdPartyWorkOut(Schema):
    id: int
    configuration_item: Ref
    party: str
    what: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    declared_by: str = Field(..., alias="declared_by_label")
    is_declared_by_client: bool
    created_at: dt.datetime


class ThirdPartyWorkIn(Schema):
    party: str = Field(..., min_length=1, max_length=200)
    what: str = Field(..., min_length=1)
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    ticket_reference: str | None = Field(None, description="the ticket it was declared on, if any")


# --- K19 -------------------------------------------------------------------------------------

@router.get("/tickets/{reference}/remote-access", response={200: list[RemoteOrderOut], **ALWAYS})
def list_remote_access(request: HttpRequest, reference: str):
    """Remote support ordered on the ticket; the account shows only as “••••” (K19)."""
    ticket = ticket_get_for(request.actor, reference)
    return list(selectors.remote_orders_for(request.actor, ticket))


def _secret(*variables: str):
    """K19: an operation that receives or returns an account keeps it out of error reports, its
    POST parameters and the named local variables alike. django-ninja resolves an operation's
    annotations in the module of the function it is given, so they are resolved here, before the
    decorators wrap the function in theirs."""
    def decorator(func):
        func.__annotations__ = typing.get_type_hints(func)
        return sensitive_post_parameters()(sensitive_variables(*variables)(func))
    return decorator


@router.post("/tickets/{reference}/remote-access", response={201: RemoteOrderOut, **REFUSALS})
@_secret("payload")
def order_remote_access(request: HttpRequest, reference: str, payload: RemoteOrderIn):
    """The client orders remote support for an item of their own and gives its account (K19)."""
    ticket = ticket_get_for(request.actor, reference)
    item = ci_get_for(request.actor, payload.configuration_item_id)
    order = services.remote_access_order(
        actor=request.actor, ticket=ticket, method=payload.method, method_detail=payload.method_detail,
        configuration_item=item, account_identifier=payload.account_identifier, password=payload.password,
        notes=payload.notes,
    )
    return Status(201, order)


@router.post("/tickets/{reference}/remote-access/{order_id}/replace", response={200: RemoteOrderOut, **REFUSALS})
@_secret("payload")
def replace_remote_access(request: HttpRequest, reference: str, order_id: int, payload: ReplaceIn):
    """The client gives new account details (K19)."""
    order = selectors.remote_order_get_for(request.actor, reference, order_id)
    return services.remote_access_replace(actor=request.actor, order=order,
                                          account_identifier=payload.account_identifier,
                                          password=payload.password, notes=payload.notes)


@router.post("/tickets/{reference}/remote-access/{order_id}/reveal", response={200: RevealedOut, **REFUSALS})
@_secret("revealed")
def reveal_remote_access(request: HttpRequest, reference: str, order_id: int, response: HttpResponse):
    """The desk sees the account details (K19). Every reveal is audited; the answer is not to be
    stored (Cache-Control: no-store)."""
    add_never_cache_headers(response)
    order = selectors.remote_order_get_for(request.actor, reference, order_id)
    revealed = services.remote_access_reveal(actor=request.actor, order=order)
    # A schema, not a dict: its repr (in an error report of the serialisation) leaves the account out.
    return RevealedOut(order_id=order.pk, account_identifier=revealed.account_identifier,
                       password=revealed.password)


@router.post("/tickets/{reference}/remote-access/{order_id}/revoke", response={200: RemoteOrderOut, **REFUSALS})
def revoke_remote_access(request: HttpRequest, reference: str, order_id: int, payload: RevokeIn):
    """The client (or the desk, when the work is done) revokes the access; the details are erased."""
    order = selectors.remote_order_get_for(request.actor, reference, order_id)
    return services.remote_access_revoke(actor=request.actor, order=order, reason=payload.reason)


# --- K9 --------------------------------------------------------------------------------------

@router.get("/tickets/{reference}/third-party-work", response={200: list[ThirdPartyWorkOut], **ALWAYS})
def ticket_third_party_work(request: HttpRequest, reference: str):
    """Work by other parties going on or to come on the ticket's items (K9)."""
    ticket = ticket_get_for(request.actor, reference)
    item_ids = [link.configuration_item_id for link in ticket_ci_links_for(request.actor, ticket)]
    return list(third_party_work_current_for_items(request.actor, item_ids))


@router.get("/cis/{ci_id}/third-party-work", response={200: list[ThirdPartyWorkOut], **ALWAYS})
def ci_third_party_work(request: HttpRequest, ci_id: int):
    """All work by other parties declared on the item, the latest start first (K9)."""
    item = ci_get_for(request.actor, ci_id)
    return list(third_party_work_for_ci(request.actor, item))


@router.post("/cis/{ci_id}/third-party-work", response={201: ThirdPartyWorkOut, **REFUSALS})
def declare_third_party_work(request: HttpRequest, ci_id: int, payload: ThirdPartyWorkIn):
    """The client (for their own item) or the desk declares another party's work (K9); the
    assignees of the item's open tickets are told."""
    item = ci_get_for(request.actor, ci_id)
    ticket = ticket_get_for(request.actor, payload.ticket_reference) if payload.ticket_reference else None
    work = cmdb_services.third_party_work_declare(
        actor=request.actor, configuration_item=item, party=payload.party, what=payload.what,
        starts_at=payload.starts_at, ends_at=payload.ends_at, via_ticket=ticket,
    )
    return Status(201, work)
