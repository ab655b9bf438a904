"""The console ticket page's actions in the API matrix (console/views.py TICKET_ACTIONS), the
report form's files and wishes (K1, K8), the phone intake (K13) and the queues."""

from tugi.tickets import services

from .conftest import report, upload
from .routespec import CLIENTS, INTERNAL_NOTE, ON_A_TICKET, RouteSpec, _only

DESK_ONLY_ON_A = {**ON_A_TICKET, "client_a": 403, "representative_a": 403}


def _ci(cast, ticket):
    return {"ci": cast.ci_a.pk}


def _public_file(cast, ticket):
    entry = services.ticket_add_entry(actor=cast.actor("client_a"), ticket=ticket, body="The screenshot",
                                      attachments=[upload()])
    return {"file": entry.attachments.get().pk}


def _internal_file(cast, ticket):
    entry = services.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body=INTERNAL_NOTE + " (file)",
                                      is_internal=True, attachments=[upload("internal.txt", b"x", "text/plain")])
    return {"file": entry.attachments.get().pk}


ROUTES = (
    RouteSpec("read a ticket's service level and escalation steps (K8, K17)", "GET", "/tickets/{a}/sla",
              DESK_ONLY_ON_A, 200),
    RouteSpec("create a ticket with files (K1)", "POST", "/tickets/with-files", {"anonymous": 401}, 201,
              body=lambda cast: {"kind": "incident", "title": "With a screenshot", "files": [upload()]},
              multipart=True),
    RouteSpec("create a ticket with wished times (K8)", "POST", "/tickets", {"anonymous": 401}, 201,
              body=lambda cast: {"kind": "incident", "title": "Wished",
                                 "desired_resolution_by": "2099-01-05T12:00:00Z"}),
    RouteSpec("log a phone call as a ticket (K13)", "POST", "/tickets", {"anonymous": 401, **_only(CLIENTS, 403)},
              201, body=lambda cast: {"kind": "incident", "title": "Called in", "by_phone": True,
                                      "requester_id": cast.client_a.pk}),
    RouteSpec("add a reply with files (K2)", "POST", "/tickets/{a}/entries/with-files", ON_A_TICKET, 201,
              body=lambda cast: {"body": "Here is the log", "files": [upload("log.txt", b"log", "text/plain")]},
              multipart=True),
    RouteSpec("list the files", "GET", "/tickets/{a}/attachments", ON_A_TICKET, 200, prepare=_internal_file),
    RouteSpec("download a file", "GET", "/tickets/{a}/attachments/{file}", ON_A_TICKET, 200, prepare=_public_file,
              openapi_path="/tickets/{reference}/attachments/{attachment_id}"),
    RouteSpec("download a file of an internal note", "GET", "/tickets/{a}/attachments/{file}",
              {"anonymous": 401, **_only(CLIENTS, 404)}, 200, prepare=_internal_file),
    RouteSpec("read the links (S1)", "GET", "/tickets/{a}/links", ON_A_TICKET, 200),
    RouteSpec("link two tickets (S1)", "POST", "/tickets/{a}/links", DESK_ONLY_ON_A, 201,
              body=lambda cast: {"target": report(cast, title="Alfa other").reference, "kind": "related_to"}),
    RouteSpec("create a ticket from this one (S1)", "POST", "/tickets/{a}/related", DESK_ONLY_ON_A, 201,
              body=lambda cast: {"kind": "problem", "title": "Root cause of the failing runs"}),
    RouteSpec("read the items (K7)", "GET", "/tickets/{a}/configuration-items", ON_A_TICKET, 200),
    RouteSpec("link an item (K7)", "POST", "/tickets/{a}/configuration-items", ON_A_TICKET, 201,
              body=lambda cast: {"configuration_item_id": cast.ci_a.pk}),
    RouteSpec("confirm an item (K7)", "POST", "/tickets/{a}/configuration-items/{ci}/confirm", DESK_ONLY_ON_A, 200,
              prepare=_ci, openapi_path="/tickets/{reference}/configuration-items/{ci_id}/confirm"),
    RouteSpec("correct an item (K7)", "POST", "/tickets/{a}/configuration-items/{ci}/correct", DESK_ONLY_ON_A, 200,
              prepare=_ci, body=lambda cast: {"reason": "It is the network"},
              openapi_path="/tickets/{reference}/configuration-items/{ci_id}/correct"),
    RouteSpec("reclassify (K1)", "POST", "/tickets/{a}/reclassify", DESK_ONLY_ON_A, 200,
              body=lambda cast: {"kind": "problem", "reason": "It keeps coming back"}),
    RouteSpec("read the kind history (K1)", "GET", "/tickets/{a}/kind-history", ON_A_TICKET, 200),
    RouteSpec("set impact and urgency (K15)", "POST", "/tickets/{a}/priority", DESK_ONLY_ON_A, 200,
              body=lambda cast: {"impact": 1, "urgency": 1, "reason": "Payroll day"}),
    RouteSpec("set the service (K8)", "POST", "/tickets/{a}/service", DESK_ONLY_ON_A, 200,
              body=lambda cast: {"service_id": None, "reason": "Not the payroll after all"}),
    RouteSpec("read the participants (K2)", "GET", "/tickets/{a}/participants", ON_A_TICKET, 200),
    RouteSpec("add a participant (K2)", "POST", "/tickets/{a}/participants", ON_A_TICKET, 201,
              body=lambda cast: {"contact_id": cast.client_a.pk, "role": "watcher"}),
    RouteSpec("the queues and their counts", "GET", "/queues", {"anonymous": 401, **_only(CLIENTS, 403)}, 200),
    RouteSpec("list a queue", "GET", "/tickets?view=mine", {"anonymous": 401}, 200, openapi_path="/tickets"),
)
