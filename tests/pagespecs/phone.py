"""The call pop in the pages' matrix (K13, S3): staff only, and an agent only for their own calls.
The call rings at the agent's extension; the other desk members have none, so for them it is
somebody else's call (404)."""

from tests.factories import answered_call
from tests.pagematrix import (
    CLIENTS,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    SIGN_IN,
    STAFF,
    VISITORS,
    PageSpec,
    console,
    post,
    redirect_to,
)
from tugi.channels.phone.models import Call, CallEvent, PhoneExtension

WATCHED = (Call, CallEvent, PhoneExtension)
POP = "/console/calls/current/"


def build(scene):
    return {"call": answered_call(scene.cast, call_id="matrix-call")}


def _call(s):
    return {"pk": s.extra["phone"]["call"].pk}


def agents_call(expect_agent):
    """Only the agent whose call it is acts on it; other staff do not find it."""
    return {**dict.fromkeys(VISITORS, SIGN_IN), **dict.fromkeys(CLIENTS, FORBIDDEN), **dict.fromkeys(STAFF, NOT_FOUND),
            "agent": expect_agent}


PAGES = (
    PageSpec("calls: the pop", "console:calls_current", console(OK)),
    PageSpec("calls: the pop, htmx", "console:calls_current", console(OK), htmx=True),
    post("calls: log the call on A", "console:calls_log", agents_call(redirect_to("/console/tickets/{a}/")), _call,
         body=lambda s: {"reference": s.a.reference, "note": "Matrix call"}, writers=("agent",)),
    post("calls: log the call on B", "console:calls_log", agents_call(redirect_to("/console/tickets/{b}/")), _call,
         body=lambda s: {"other": s.b.reference}, writers=("agent",)),
    post("calls: log the call, empty form", "console:calls_log", agents_call(redirect_to(POP)), _call),
    post("calls: log the call on a ticket that does not exist", "console:calls_log", agents_call(redirect_to(POP)),
         _call,
         body=lambda s: {"other": "INC-999999"}),
    post("calls: new phone ticket, empty form", "console:calls_ticket", agents_call(redirect_to(POP)), _call),
    post("calls: new phone ticket", "console:calls_ticket", agents_call(redirect_to("/console/tickets/INC-*")),
         _call, body=lambda s: {"kind": "incident", "title": "Matrix phone ticket"}, writers=("agent",)),
    post("calls: a call that does not exist", "console:calls_log", console(NOT_FOUND), lambda s: {"pk": 999999},
         body=lambda s: {"other": "INC-000001"}),
)
