"""The authorisation matrix of API v1: every route × every role, with the status each role gets,
and what must never appear in an answer: another organisation's names, titles and references, an
internal note (to a client), a staff member's personal phone (to anybody, K13).

To cover a new route, add one RouteSpec to CORE_ROUTES, or, for a client-role flow, to ROUTES in
its own module tests/api/routes_<flow>.py (collected below); test_every_route_is_in_the_matrix fails
until then."""

import importlib
import json
from pathlib import Path

import pytest

from tugi.directory.models import StaffMember
from tugi.tickets import services
from tugi.tickets.models import TicketKind

from .conftest import PREFIX, refusal, report
from .routespec import CLIENTS, INTERNAL_NOTE, ON_A_TICKET, ROLES, RouteSpec, _only  # noqa: F401

CORE_ROUTES = (
    RouteSpec("list tickets", "GET", "/tickets", {"anonymous": 401}, 200),
    RouteSpec(
        "create a ticket",
        "POST",
        "/tickets",
        {"anonymous": 401},
        201,
        body=lambda cast: {"kind": "incident", "title": "Made by the matrix"},
    ),
    RouteSpec("read a ticket", "GET", "/tickets/{a}", ON_A_TICKET, 200),
    RouteSpec("read the conversation", "GET", "/tickets/{a}/entries", ON_A_TICKET, 200),
    RouteSpec(
        "add a reply",
        "POST",
        "/tickets/{a}/entries",
        ON_A_TICKET,
        201,
        body=lambda cast: {"body": "A reply from the matrix"},
    ),
    RouteSpec(
        "add an internal note",
        "POST",
        "/tickets/{a}/entries",
        {**ON_A_TICKET, "client_a": 403, "representative_a": 403},
        201,
        body=lambda cast: {"body": "A note from the matrix", "internal": True},
    ),
    RouteSpec(
        "take a desk action",
        "POST",
        "/tickets/{a}/transitions",
        {**ON_A_TICKET, "client_a": 403, "representative_a": 403},
        200,
        body=lambda cast: {"action": "wait_for_client", "reason": "Please send the logs"},
    ),
    RouteSpec(
        "cancel (a client's action, K3)",
        "POST",
        "/tickets/{a}/transitions",
        ON_A_TICKET,
        200,
        body=lambda cast: {"action": "cancel", "reason": "No longer needed"},
    ),
    RouteSpec(
        "assign",
        "POST",
        "/tickets/{a}/assign",
        {**ON_A_TICKET, "client_a": 403, "representative_a": 403},
        200,
        body=lambda cast: {"assignee_id": cast.agent.pk},
    ),
    RouteSpec("OpenAPI description", "GET", "/openapi.json", {}, 200),
    RouteSpec("interactive docs", "GET", "/docs", {}, 200),
)


def _flow_routes() -> tuple[RouteSpec, ...]:
    here = Path(__file__).parent
    found = []
    for path in sorted(here.glob("routes_*.py")):
        module = importlib.import_module(f"{__package__}.{path.stem}")
        found.extend(module.ROUTES)
    return tuple(found)


ROUTES = CORE_ROUTES + _flow_routes()


@pytest.fixture
def scene(cast):
    """A ticket of organisation A with a reply and an internal note, assigned to the agent, and
    a ticket of organisation B."""
    agent = cast.actor("agent")
    a = report(cast, title="Alfa payroll run fails", configuration_items=[cast.ci_a])
    services.ticket_assign(actor=agent, ticket=a, assignee=cast.agent)
    services.ticket_add_entry(actor=agent, ticket=a, body="Looking into it")
    services.ticket_add_entry(actor=agent, ticket=a, body=INTERNAL_NOTE, is_internal=True)
    b = report(
        cast,
        who="client_b",
        title="Beeta invoices do not print",
        kind=TicketKind.SERVICE_REQUEST,
        configuration_items=[cast.ci_b],
    )
    return {"a": a, "b": b}


def _secrets_of(cast, ticket, organisation, *people_and_cis) -> set[str]:
    return {ticket.title, ticket.reference, organisation.name, *(x.name for x in people_and_cis)}


def _texts(response) -> list[str]:
    """The body as sent and, for JSON, decoded too (JSON escapes ``Ü`` as ``\\u00dc``)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    raw = content.decode(errors="replace")
    texts = [raw]
    if raw and response["Content-Type"].startswith("application/json"):
        texts.append(json.dumps(response.json(), ensure_ascii=False))
    return texts


def _route_ids():
    return [spec.name for spec in ROUTES]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("spec", ROUTES, ids=_route_ids())
def test_matrix(api, cast, scene, spec, role):
    caller = api(None if role == "anonymous" else role)
    names = {"a": scene["a"].reference, **spec.prepare(cast, scene["a"])}
    response = caller.call(spec.method, spec.path.format(**names), spec.body(cast), multipart=spec.multipart)

    assert response.status_code == spec.expected(role), (spec.name, role, response.content[:300])
    if response.status_code >= 400:
        refusal(response)

    forbidden = {person.personal_phone for person in StaffMember.objects.all() if person.personal_phone}
    if role in CLIENTS:
        forbidden.add(INTERNAL_NOTE)
    if role == "client_b":
        forbidden |= _secrets_of(
            cast, scene["a"], cast.org_a, cast.client_a, cast.representative_a, cast.ci_a
        )
    if role in ("client_a", "representative_a"):
        forbidden |= _secrets_of(cast, scene["b"], cast.org_b, cast.client_b, cast.ci_b)
    for text in _texts(response):
        leaked = sorted(secret for secret in forbidden if secret in text)
        assert not leaked, (spec.name, role, leaked)


def test_every_route_is_in_the_matrix(client, db):
    """A route added to the API without a line in ROUTES fails here."""
    described = json.loads(client.get(PREFIX + "/openapi.json").content)["paths"]
    routes = {(method.upper(), path) for path, operations in described.items() for method in operations}
    covered = {(spec.method, PREFIX + spec.path.replace("{a}", "{reference}")) for spec in ROUTES}
    covered |= {(spec.method, PREFIX + spec.openapi_path) for spec in ROUTES if spec.openapi_path}
    assert routes <= covered, sorted(routes - covered)
