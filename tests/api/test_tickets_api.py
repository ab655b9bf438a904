"""API v1 tickets: token and session authentication, list, create, read, conversation,
transitions and assignment, with every refusal as JSON {detail, code, field} (S1, K1, K2, K3, K7, K13)."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tugi.api.models import ApiToken
from tugi.tickets import services
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import ConversationEntry, Ticket, TicketKind, TicketState

from ..factories import PASSWORD, ContactFactory, UserFactory
from .conftest import ApiCaller, refusal, report

# --- authentication ---------------------------------------------------------------------------


def test_missing_token_is_401_with_a_readable_refusal(api):
    response = api(None).get("/tickets")
    assert response.status_code == 401
    assert refusal(response)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"


def test_missing_token_on_a_write_is_401_not_a_csrf_refusal(api):
    response = api(None).post("/tickets", {"kind": "incident", "title": "x"})
    assert response.status_code == 401
    assert refusal(response)["code"] == "not_authenticated"


def test_wrong_token_is_401(cast):
    response = ApiCaller("tugi_not-a-real-key").get("/tickets")
    assert response.status_code == 401
    refusal(response)


def test_revoked_token_is_401(cast):
    token, key = ApiToken.issue(cast.client_a.user, "old script")
    ApiToken.objects.filter(pk=token.pk).update(is_revoked=True)
    assert ApiCaller(key).get("/tickets").status_code == 401


def test_token_of_a_user_who_is_neither_staff_nor_a_contact_is_401(cast):
    _, key = ApiToken.issue(UserFactory(username="nobody"), "stray")
    assert ApiCaller(key).get("/tickets").status_code == 401


def test_token_of_an_inactive_contact_is_401(cast):
    former = ContactFactory(organisation=cast.org_a, is_active=False, user__username="former")
    _, key = ApiToken.issue(former.user, "left the company")
    assert ApiCaller(key).get("/tickets").status_code == 401


def test_token_use_is_recorded(cast):
    token, key = ApiToken.issue(cast.agent.user, "monitoring")
    assert ApiCaller(key).get("/tickets").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_the_hash_of_the_key_is_stored(cast):
    token, key = ApiToken.issue(cast.agent.user, "monitoring")
    assert key not in (token.key_hash, token.prefix)
    assert key.startswith("tugi_" + token.prefix)


def _signed_in(who) -> Client:
    browser = Client(enforce_csrf_checks=True)
    assert browser.login(username=who.user.username, password=PASSWORD)
    return browser


def test_session_caller_can_read(cast):
    report(cast)
    response = _signed_in(cast.client_a).get("/api/v1/tickets")
    assert response.status_code == 200
    assert len(response.json()["items"]) == 1


def test_session_write_without_csrf_token_is_refused(cast):
    response = _signed_in(cast.client_a).post(
        "/api/v1/tickets", json.dumps({"kind": "incident", "title": "x"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert refusal(response)["code"] == "csrf"
    assert not Ticket.objects.exists()


def test_session_write_with_csrf_token_works(cast):
    browser = _signed_in(cast.client_a)
    browser.get("/api/v1/docs")  # the docs page sets the CSRF cookie, as in a browser
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/api/v1/tickets",
        json.dumps({"kind": "incident", "title": "From the docs page"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201, response.content


# --- list -------------------------------------------------------------------------------------


@pytest.fixture
def desk(cast):
    """Tickets of both organisations in different states and kinds."""
    agent = cast.actor("agent")
    printer = report(cast, title="Printer is broken")
    laptop = report(cast, title="New laptop", kind=TicketKind.SERVICE_REQUEST)
    vpn = report(cast, who="client_b", title="VPN drops")
    services.ticket_assign(actor=agent, ticket=vpn, assignee=cast.agent)
    services.ticket_assign(actor=agent, ticket=laptop, assignee=cast.agent)
    services.ticket_transition(actor=agent, ticket=laptop, action=Action.START)
    services.ticket_transition(actor=agent, ticket=laptop, action=Action.RESOLVE, reason="Delivered")
    return {"printer": printer, "laptop": laptop, "vpn": vpn}


def _references(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["reference"] for item in response.json()["items"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"printer", "laptop", "vpn"}),
        ({"state": "new"}, {"printer"}),
        ({"state": "resolved"}, {"laptop"}),
        ({"kind": "service_request"}, {"laptop"}),
        ({"unassigned": "true"}, {"printer"}),
        ({"open": "true"}, {"printer", "vpn"}),
        ({"open": "false"}, {"laptop"}),
        ({"q": "laptop"}, {"laptop"}),
        ({"q": "printer", "state": "resolved"}, set()),
    ],
)
def test_agent_lists_with_filters(api, desk, params, expected):
    assert _references(api("agent").get("/tickets", **params)) == {desk[name].reference for name in expected}


def test_list_filters_by_organisation(api, cast, desk):
    response = api("agent").get("/tickets", organisation_id=cast.org_b.pk)
    assert _references(response) == {desk["vpn"].reference}


def test_list_finds_a_ticket_by_its_reference(api, desk):
    reference = desk["vpn"].reference
    assert _references(api("agent").get("/tickets", q=reference.lower())) == {reference}


def test_client_lists_only_their_own_organisations_tickets(api, desk):
    assert _references(api("client_b").get("/tickets")) == {desk["vpn"].reference}
    assert _references(api("client_b").get("/tickets", q="printer")) == set()


def test_list_item_shape(api, cast, desk):
    item = api("client_a").get("/tickets", q="printer").json()["items"][0]
    assert item["organisation"] == {"id": cast.org_a.pk, "name": "Alfa OÜ"}
    assert set(item) == {
        "reference",
        "kind",
        "title",
        "state",
        "priority",
        "organisation",
        "assignee",
        "last_activity_at",
    }


def test_list_pages_with_limit_and_offset(api, cast):
    for n in range(5):
        report(cast, title=f"Ticket {n}")
    first = api("agent").get("/tickets", limit=2).json()
    second = api("agent").get("/tickets", limit=2, offset=2).json()
    last = api("agent").get("/tickets", limit=2, offset=4).json()
    assert (first["limit"], first["offset"], first["has_more"]) == (2, 0, True)
    assert second["has_more"] is True
    assert (len(last["items"]), last["has_more"]) == (1, False)
    titles = [i["title"] for page in (first, second, last) for i in page["items"]]
    assert titles == [f"Ticket {n}" for n in reversed(range(5))]  # newest activity first


def test_list_limit_is_capped_at_200(api, cast):
    body = api("agent").get("/tickets", limit=5000).json()
    assert body["limit"] == 200


def test_list_with_an_unknown_state_is_a_readable_422(api, cast):
    response = api("agent").get("/tickets", state="on_fire")
    assert response.status_code == 422
    body = refusal(response)
    assert (body["code"], body["field"]) == ("validation", "state")
    assert body["errors"][0]["field"] == "state"
    assert "state" in body["detail"]


def test_list_with_a_negative_offset_is_a_readable_422(api, cast):
    response = api("agent").get("/tickets", offset=-1)
    assert response.status_code == 422
    assert refusal(response)["field"] == "offset"


@pytest.mark.parametrize("who", ["agent", "representative_a"])
def test_list_query_count_does_not_grow_with_the_number_of_tickets(
    api, cast, who, django_assert_max_num_queries
):
    caller = api(who)
    for n in range(5):
        report(cast, title=f"Ticket {n}", impact=1 + n % 3)
    assert caller.get("/tickets").status_code == 200  # the token's first use writes last_used_at once
    with CaptureQueriesContext(connection) as five:
        assert len(caller.get("/tickets", limit=200).json()["items"]) == 5
    for n in range(35):
        ticket = report(cast, title=f"More {n}")
        if n % 2:
            services.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)
    with django_assert_max_num_queries(len(five.captured_queries)):
        assert len(caller.get("/tickets", limit=200).json()["items"]) == 40


# --- create -----------------------------------------------------------------------------------


def test_client_creates_for_themself_in_their_own_organisation_K1(api, cast):
    response = api("client_a").post(
        "/tickets", {"kind": "incident", "title": "Mail is slow", "configuration_item_ids": [cast.ci_a.pk]}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["requester"] == {"id": cast.client_a.pk, "name": "Anna Alfa"}
    assert body["organisation"] == {"id": cast.org_a.pk, "name": "Alfa OÜ"}
    assert (body["source"], body["state"], body["reference"]) == ("api", "new", "INC-000001")
    assert body["service"] == {"id": cast.service.pk, "name": "ERP"}  # learned from the CI


def test_client_cannot_create_in_another_organisation(api, cast):
    response = api("client_a").post(
        "/tickets", {"kind": "incident", "title": "x", "organisation_id": cast.org_b.pk}
    )
    assert response.status_code == 400
    assert refusal(response)["field"] == "organisation_id"
    assert not Ticket.objects.exists()


def test_client_cannot_create_for_another_contact(api, cast):
    response = api("client_a").post(
        "/tickets", {"kind": "incident", "title": "x", "requester_id": cast.client_b.pk}
    )
    assert response.status_code == 400
    assert refusal(response)["field"] == "requester_id"


def test_client_giving_another_organisations_ci_is_400_K7(api, cast):
    response = api("client_a").post(
        "/tickets", {"kind": "incident", "title": "x", "configuration_item_ids": [cast.ci_b.pk]}
    )
    assert response.status_code == 400
    body = refusal(response)
    assert body["field"] == "configuration_item_ids"
    assert "beeta" not in body["detail"].lower()
    assert not Ticket.objects.exists()


def test_agent_creates_for_any_contact(api, cast):
    response = api("agent").post(
        "/tickets", {"kind": "service_request", "title": "New account", "requester_id": cast.client_b.pk}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation"]["id"] == cast.org_b.pk
    assert body["requester"]["id"] == cast.client_b.pk
    assert body["reference"].startswith("REQ-")


def test_agent_creates_without_a_known_client_S2(api, cast):
    response = api("agent").post(
        "/tickets", {"kind": "incident", "title": "Alarm", "configuration_item_ids": [cast.ci_a.pk]}
    )
    assert response.status_code == 201
    assert response.json()["requester"] is None
    assert response.json()["organisation"]["id"] == cast.org_a.pk


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("requester_id", 999_999),
        ("organisation_id", 999_999),
        ("service_id", 999_999),
        ("configuration_item_ids", [999_999]),
    ],
)
def test_unknown_ids_are_400_with_the_field(api, cast, field, value):
    response = api("agent").post("/tickets", {"kind": "incident", "title": "x", field: value})
    assert response.status_code == 400
    assert refusal(response)["field"] == field


def test_a_service_refusal_names_the_api_field(api, cast):
    response = api("agent").post(
        "/tickets",
        {
            "kind": "incident",
            "title": "x",
            "requester_id": cast.client_a.pk,
            "organisation_id": cast.org_b.pk,
        },
    )
    assert response.status_code == 400
    assert refusal(response)["field"] == "requester_id"


def test_blank_title_is_400_with_the_field(api, cast):
    response = api("client_a").post("/tickets", {"kind": "incident", "title": "   "})
    assert response.status_code == 400
    assert refusal(response)["field"] == "title"


def test_a_request_that_does_not_match_the_schema_is_a_readable_422(api, cast):
    response = api("client_a").post("/tickets", {"kind": "complaint"})
    assert response.status_code == 422
    body = refusal(response)
    assert body["code"] == "validation"
    assert {e["field"] for e in body["errors"]} == {"kind", "title"}
    assert body["field"] in {"kind", "title"}
    assert "title" in body["detail"] and "kind" in body["detail"]


def test_a_body_that_is_not_json_is_400(api, cast):
    caller = api("client_a")
    response = caller.client.post(
        "/api/v1/tickets", "{not json", content_type="application/json", **caller.headers
    )
    assert response.status_code == 400
    assert refusal(response)["code"] == "bad_request"


# --- read -------------------------------------------------------------------------------------


def test_read_by_reference(api, cast):
    ticket = report(cast, description="It says PC LOAD LETTER")
    response = api("client_a").get(f"/tickets/{ticket.reference.lower()}")
    assert response.status_code == 200
    body = response.json()
    assert (body["reference"], body["description"]) == (ticket.reference, "It says PC LOAD LETTER")


def test_another_organisations_ticket_is_404_like_a_missing_one(api, cast):
    ticket = report(cast)
    hidden = api("client_b").get(f"/tickets/{ticket.reference}")
    missing = api("client_b").get("/tickets/INC-999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert refusal(hidden)["code"] == "not_found"


def test_a_client_of_the_same_organisation_does_not_see_a_colleagues_ticket(api, cast):
    ticket = report(cast, who="representative_a")
    assert api("client_a").get(f"/tickets/{ticket.reference}").status_code == 404
    assert api("representative_a").get(f"/tickets/{report(cast).reference}").status_code == 200


# --- conversation (K2) ------------------------------------------------------------------------


@pytest.fixture
def discussed(cast):
    ticket = report(cast)
    services.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="Is it plugged in?")
    services.ticket_add_entry(
        actor=cast.actor("agent"), ticket=ticket, body="Client sounds upset", is_internal=True
    )
    return ticket


def test_client_never_sees_internal_notes(api, discussed):
    bodies = [e["body"] for e in api("client_a").get(f"/tickets/{discussed.reference}/entries").json()]
    assert bodies == ["Is it plugged in?"]


def test_agent_sees_internal_notes_marked_as_such(api, discussed):
    entries = api("agent").get(f"/tickets/{discussed.reference}/entries").json()
    assert [(e["body"], e["internal"], e["author"]) for e in entries] == [
        ("Is it plugged in?", False, "Agent Smith"),
        ("Client sounds upset", True, "Agent Smith"),
    ]


def test_client_adds_a_reply_K2(api, cast, discussed):
    response = api("client_a").post(f"/tickets/{discussed.reference}/entries", {"body": "Yes, it is."})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["internal"], body["author"]) == ("reply", False, "Anna Alfa")
    assert body["body"] == "Yes, it is."
    assert ConversationEntry.objects.get(pk=body["id"]).channel == "api"


def test_agent_adds_an_internal_note(api, discussed):
    response = api("agent").post(
        f"/tickets/{discussed.reference}/entries", {"body": "Escalate", "internal": True}
    )
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["internal"]) == ("note", True)


def test_client_cannot_write_an_internal_note(api, discussed):
    response = api("client_a").post(
        f"/tickets/{discussed.reference}/entries", {"body": "psst", "internal": True}
    )
    assert response.status_code == 403
    assert refusal(response)["code"] == "forbidden"
    assert not ConversationEntry.objects.filter(body="psst").exists()


def test_a_blank_reply_is_400_with_the_field(api, discussed):
    response = api("client_a").post(f"/tickets/{discussed.reference}/entries", {"body": "   "})
    assert response.status_code == 400
    assert refusal(response)["field"] == "body"


def test_a_reply_to_another_organisations_ticket_is_404(api, discussed):
    response = api("client_b").post(f"/tickets/{discussed.reference}/entries", {"body": "hello"})
    assert response.status_code == 404
    assert not ConversationEntry.objects.filter(body="hello").exists()


# --- transitions and assignment ---------------------------------------------------------------


def test_agent_assigns_and_starts_work(api, cast):
    ticket = report(cast)
    assigned = api("agent").post(f"/tickets/{ticket.reference}/assign", {"assignee_id": cast.agent.pk})
    assert assigned.status_code == 200, assigned.content
    assert (assigned.json()["state"], assigned.json()["assignee"]) == (
        "assigned",
        {"id": cast.agent.pk, "name": "Agent Smith"},
    )
    started = api("agent").post(f"/tickets/{ticket.reference}/transitions", {"action": "start"})
    assert started.status_code == 200
    assert started.json()["state"] == "in_progress"


def test_client_cancels_with_a_reason_K3(api, cast):
    ticket = report(cast)
    response = api("client_a").post(
        f"/tickets/{ticket.reference}/transitions", {"action": "cancel", "reason": "Found the cable"}
    )
    assert response.status_code == 200
    assert response.json()["state"] == "cancelled"
    assert response.json()["closed_at"] is not None


def test_client_postpones_until_a_date_K3(api, cast):
    ticket = report(cast)
    until = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    response = api("client_a").post(
        f"/tickets/{ticket.reference}/transitions",
        {"action": "postpone", "reason": "On holiday", "until": until},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["state_reason"], body["postponed_until"]) == ("postponed", "On holiday", until)


def test_a_transition_the_state_does_not_allow_is_409_with_a_message(api, cast):
    ticket = report(cast)
    response = api("agent").post(f"/tickets/{ticket.reference}/transitions", {"action": "close"})
    assert response.status_code == 409
    body = refusal(response)
    assert body["code"] == "transition_not_allowed"
    assert "new" in body["detail"]
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.NEW


def test_a_guard_refusal_is_409_and_says_what_to_do(api, cast):
    ticket = report(cast)
    response = api("agent").post(f"/tickets/{ticket.reference}/transitions", {"action": "start"})
    assert response.status_code == 409
    assert "Assign" in refusal(response)["detail"]


def test_a_missing_reason_is_400_with_field_reason_K3(api, cast):
    ticket = report(cast)
    response = api("client_a").post(f"/tickets/{ticket.reference}/transitions", {"action": "cancel"})
    assert response.status_code == 400
    body = refusal(response)
    assert (body["code"], body["field"]) == ("invalid", "reason")
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.NEW


def test_a_missing_postponement_date_is_400_with_field_until(api, cast):
    ticket = report(cast)
    response = api("client_a").post(
        f"/tickets/{ticket.reference}/transitions", {"action": "postpone", "reason": "Later"}
    )
    assert response.status_code == 400
    assert refusal(response)["field"] == "until"


def test_client_cannot_take_a_desk_action(api, cast):
    ticket = report(cast)
    services.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)
    response = api("client_a").post(
        f"/tickets/{ticket.reference}/transitions", {"action": "wait_for_client", "reason": "x"}
    )
    assert response.status_code == 403
    refusal(response)


def test_an_unknown_action_is_a_readable_422(api, cast):
    ticket = report(cast)
    response = api("agent").post(f"/tickets/{ticket.reference}/transitions", {"action": "explode"})
    assert response.status_code == 422
    assert refusal(response)["field"] == "action"


def test_client_cannot_assign(api, cast):
    ticket = report(cast)
    response = api("client_a").post(f"/tickets/{ticket.reference}/assign", {"assignee_id": cast.agent.pk})
    assert response.status_code == 403
    refusal(response)
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_assigning_an_unknown_staff_member_is_400(api, cast):
    ticket = report(cast)
    response = api("agent").post(f"/tickets/{ticket.reference}/assign", {"assignee_id": 999_999})
    assert response.status_code == 400
    assert refusal(response)["field"] == "assignee_id"


def test_assigning_a_non_specialist_names_the_api_field(api, cast):
    ticket = report(cast)
    cast.catalogue_owner.is_agent = False
    cast.catalogue_owner.save(update_fields=["is_agent"])
    response = api("agent").post(
        f"/tickets/{ticket.reference}/assign", {"assignee_id": cast.catalogue_owner.pk}
    )
    assert response.status_code == 400
    assert refusal(response)["field"] == "assignee_id"


def test_the_api_never_carries_a_staff_members_personal_phone_K13(api, cast):
    ticket = report(cast)
    services.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)
    for who in ("client_a", "agent"):
        for path in ("/tickets", f"/tickets/{ticket.reference}", f"/tickets/{ticket.reference}/entries"):
            assert cast.agent.personal_phone.encode() not in api(who).get(path).content


# --- description and docs ---------------------------------------------------------------------


@pytest.fixture
def openapi(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_openapi_lists_the_ticket_routes(openapi):
    assert openapi["openapi"].startswith("3.")
    assert set(openapi["paths"]) >= {
        "/api/v1/tickets",
        "/api/v1/tickets/{reference}",
        "/api/v1/tickets/{reference}/entries",
        "/api/v1/tickets/{reference}/transitions",
        "/api/v1/tickets/{reference}/assign",
    }


# The support phone (K13), the guide (K14) and the public request for portal access (K18), like their pages.
OPEN_TO_EVERYONE = {("get", "/api/v1/support"), ("get", "/api/v1/guide"), ("post", "/api/v1/access-requests")}


def test_openapi_documents_every_refusal(openapi):
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            if (method, path) in OPEN_TO_EVERYONE:  # no credentials asked, nothing to find: no 401, no 404
                assert method == "get" or {"400", "422"} <= documented, (method, path)
                continue
            assert {"401", "404", "422"} <= documented, (method, path)
            if method == "post":
                assert {"400", "403"} <= documented, (method, path)
    transitions = openapi["paths"]["/api/v1/tickets/{reference}/transitions"]["post"]
    assert "409" in transitions["responses"]


def test_openapi_describes_both_ways_to_authenticate(openapi):
    schemes = openapi["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


def test_openapi_never_mentions_personal_phone_K13(openapi):
    assert "personal_phone" not in json.dumps(openapi)


def test_docs_page_renders_for_a_signed_in_user(cast):
    response = _signed_in(cast.agent).get("/api/v1/docs")
    assert response.status_code == 200
    assert b"/api/v1/openapi.json" in response.content


def test_docs_page_works_under_the_content_security_policy(cast):
    page = _signed_in(cast.agent).get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr.net" not in page
    assert "<script>" not in page


def test_a_desk_reply_naming_a_price_is_refused_until_confirmed_K20(api, cast):
    from tugi.tickets import services
    from tugi.tickets.models import TicketKind, TicketSource

    ticket = services.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.SERVICE_REQUEST,
                                    title="A new laptop", source=TicketSource.PORTAL)
    path = f"/tickets/{ticket.reference}/entries"
    response = api("agent").post(path, {"body": "It costs about 900 EUR."})
    assert response.status_code == 409
    assert refusal(response)["code"] == "price_mentioned"
    assert not ticket.entries.filter(kind="reply").exists()
    assert api("agent").post(path, {"body": "It costs about 900 EUR.", "send_anyway": True}).status_code == 201
    assert api("client_a").post(path, {"body": "Is 900 EUR the price?"}).status_code == 201  # clients may


def test_no_two_schemas_share_a_name_so_the_description_shows_each_routes_own(openapi):
    """The OpenAPI description names each schema by its class: two classes of one name (in two
    routers) would describe one route with the other's fields."""
    import importlib
    import pkgutil

    from ninja import Schema

    import tugi.api

    owners: dict[str, set[str]] = {}
    for module_info in pkgutil.iter_modules(tugi.api.__path__):
        module = importlib.import_module(f"tugi.api.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                owners.setdefault(value.__name__, set()).add(module.__name__)
    assert {name: where for name, where in owners.items() if len(where) > 1} == {}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/guide", {"title": "event id", "body": "\u0000&"}, "body"),
        ("/tickets", {"kind": "incident", "title": "Printer\u0000"}, "title"),
        ("/kb/articles", {"title": "T", "body": "B", "category": None, "visibility": "public"}, None),
    ],
)
def test_a_nul_character_in_any_text_is_refused_like_the_pages_forms_do(api, cast, path, body, field):
    """PostgreSQL cannot store a NUL in text: the API refuses it with the field, never a 500."""
    response = api("agent").post(path, body)
    if field is None:  # the control case: clean text passes
        assert response.status_code == 201, response.content
        return
    assert response.status_code == 400, response.content
    assert refusal(response)["field"] == field
    assert "Null characters" in refusal(response)["detail"]


def test_half_a_surrogate_pair_in_any_text_is_refused_with_its_field_not_a_server_error(api, cast):
    body = '{"kind": "incident", "title": "Printer \\ud83d"}'  # a lone high surrogate: no character
    response = api("agent").client.post("/api/v1/tickets", body, content_type="application/json",
                                        **api("agent").headers)
    assert response.status_code == 400 and refusal(response)["field"] == "title"
    assert "surrogate" in refusal(response)["detail"]


def test_a_nul_character_in_a_form_field_is_refused(api, cast):
    response = api("client_a").post_multipart("/tickets/with-files", {"kind": "incident", "title": "Bad\x00"})
    assert response.status_code == 400
    assert refusal(response)["field"] == "title"
