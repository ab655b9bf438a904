"""The support phone (K13): the number on every page, the telephony webhook, the call pop for the
agent who answers (only their own calls, only staff), logging a call on a ticket or as a new phone
ticket; a staff member's personal phone never reaches a client."""

import json

import pytest
from django.core.management import call_command

from tugi.channels.phone import services
from tugi.channels.phone.models import Call, CallEvent, CallState, PhoneExtension
from tugi.core.actors import system_actor
from tugi.tickets import services as tickets
from tugi.tickets.models import TicketKind, TicketSource

from ..factories import StaffFactory

SUPPORT = "+372 501 6105"


@pytest.fixture
def token(db):
    return services.telephony_token_create(actor=system_actor(), name="PBX")[1]


@pytest.fixture
def phones(cast):
    cast.client_a.phone = "+372 5123 4567"
    cast.client_a.save()
    cast.agent.personal_phone = "+372 5999 8888"
    cast.agent.save()
    PhoneExtension.objects.create(user=cast.agent.user, extension="201")
    return cast


def send(client, token, *events):
    return client.post("/hooks/phone/events", json.dumps(list(events) if len(events) > 1 else events[0]),
                       content_type="application/json", headers={"Authorization": f"Bearer {token}"})


def ring(client, token, call_id="c1", caller="0037251234567", extension="201", **more):
    return send(client, token, {"event": "new", "call_id": call_id, "direction": "inbound", "caller": caller,
                                "called": "+3725016105", "extension": extension, **more})


# --- the number everywhere -------------------------------------------------------------------------

@pytest.mark.parametrize("address", ["/signin/", "/guide/", "/access/request/"])
def test_the_support_number_is_on_the_pages_a_visitor_sees_K13(client, db, address):
    assert SUPPORT in client.get(address).content.decode()


def test_the_support_number_is_on_the_clients_portal_pages_K13(client, cast):
    client.force_login(cast.client_a.user)
    for address in ("/", "/report/", "/faq/"):
        assert SUPPORT in client.get(address).content.decode(), address


def test_the_support_number_is_a_setting_K13(client, db, settings):
    settings.TUGI_SUPPORT_PHONE = "+372 600 0000"
    page = client.get("/signin/").content.decode()
    assert "+372 600 0000" in page and SUPPORT not in page


# --- the webhook -----------------------------------------------------------------------------------

@pytest.mark.parametrize("header", [None, "Bearer nope", "Token x"])
def test_call_events_need_the_telephony_token_K13(client, token, header):
    response = client.post("/hooks/phone/events", json.dumps({"event": "new", "call_id": "x"}),
                           content_type="application/json", headers={"Authorization": header} if header else {})
    assert response.status_code == 401 and not Call.objects.exists()


@pytest.mark.parametrize(("body", "status"), [
    ("nonsense", 400), ("[]", 400), ("[1]", 400), ('{"event": "exploded", "call_id": "x"}', 400),
    ('{"event": "new"}', 400), ('{"event": "new", "call_id": "x", "direction": "sideways"}', 400),
    ('{"event": "new", "call_id": {"a": 1}}', 400),
])
def test_malformed_call_events_get_a_clear_400_K13(client, token, body, status):
    response = client.post("/hooks/phone/events", body, content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == status and response.json()["message"]


def test_a_nul_in_a_batch_of_call_events_is_a_400_before_any_event_is_written_K13(client, token):
    """PostgreSQL refuses NUL in text and jsonb: a batch whose last event carries one must not leave
    its earlier events written, nor answer with a 500."""
    good = {"event": "new", "call_id": "c1", "direction": "inbound", "caller": "+372 5123 4567"}
    for bad in ({"event": "answered", "call_id": "c1", "agent": "an\u0000na"},
                {"event": "hangup", "call_id": "c1", "note\u0000": "x"}):
        response = send(client, token, good, bad)
        assert response.status_code == 400 and "NUL" in response.json()["message"]
    assert not Call.objects.exists() and not CallEvent.objects.exists()


def test_half_a_surrogate_pair_in_a_call_event_is_a_400_not_a_server_error_K13(client, token):
    """JSON lets "\\ud800" through, and it is no character: no database can keep it."""
    body = '{"event": "new", "call_id": "c2", "direction": "inbound", "caller": "+372 5123 4567", "note": "\\ud800"}'
    response = client.post("/hooks/phone/events", body, content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400 and "surrogate" in response.json()["message"]
    assert not Call.objects.exists()


def test_a_call_is_matched_to_the_contact_by_the_digits_of_the_number_K13(client, phones, token):
    answer = ring(client, token).json()
    assert answer["calls"][0]["contact_known"]
    assert Call.objects.get().contact == phones.client_a


def test_an_ambiguous_number_matches_nobody(client, phones, token):
    phones.client_b.phone = "+372 5123 4567"
    phones.client_b.save()
    ring(client, token)
    assert Call.objects.get().contact is None


def test_call_states_follow_the_events_and_never_go_back_K13(client, phones, token):
    ring(client, token)
    send(client, token, {"event": "answered", "call_id": "c1", "extension": "201"})
    call = Call.objects.get()
    assert call.state == CallState.ANSWERED and call.answered_by == phones.agent.user
    send(client, token, {"event": "hangup", "call_id": "c1"}, {"event": "answered", "call_id": "c1"})
    call.refresh_from_db()
    assert call.state == CallState.HUNG_UP and call.ended_at is not None
    assert CallEvent.objects.filter(call=call).count() == 4


def test_the_token_command_prints_a_working_token(client, phones, capsys):
    call_command("phone_token", "--name", "Asterisk")
    token = capsys.readouterr().out.strip()
    assert ring(client, token).status_code == 200


# --- the pop ---------------------------------------------------------------------------------------

def _open_ticket_of_anna(cast):
    return tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="Payroll is stuck",
                                 source=TicketSource.PORTAL)


def test_the_pop_shows_the_caller_and_open_tickets_to_the_agent_at_the_extension_K13(client, phones, token):
    ticket = _open_ticket_of_anna(phones)
    ring(client, token)
    client.force_login(phones.agent.user)
    page = client.get("/console/calls/current/", headers={"HX-Request": "true"}).content.decode()
    assert "Anna" in page and phones.org_a.name in page and ticket.reference in page
    assert "<html" not in page  # the fragment, for htmx to swap in
    assert "Anna" in client.get("/console/calls/current/").content.decode()  # a page without JavaScript


def test_the_pop_shows_nothing_of_another_agents_call_K13(client, phones, token):
    other = StaffFactory(name="Other Agent")
    PhoneExtension.objects.create(user=other.user, extension="202")
    ring(client, token, extension="202")
    client.force_login(phones.agent.user)
    page = client.get("/console/calls/current/").content.decode()
    assert "Anna" not in page
    call = Call.objects.get()
    assert client.post(f"/console/calls/{call.pk}/log/", {"other": "INC-000001"}).status_code == 404


def test_clients_never_get_the_pop_K13(client, phones, token):
    ring(client, token)
    client.force_login(phones.client_a.user)
    assert client.get("/console/calls/current/").status_code == 403


def test_logging_the_call_on_a_ticket_writes_an_internal_phone_note_K13(client, phones, token):
    ticket = _open_ticket_of_anna(phones)
    ring(client, token)
    send(client, token, {"event": "answered", "call_id": "c1", "extension": "201"})
    client.force_login(phones.agent.user)
    call = Call.objects.get()
    response = client.post(f"/console/calls/{call.pk}/log/", {"reference": ticket.reference,
                                                               "note": "She will restart the batch"})
    assert response.status_code == 302 and response["Location"] == f"/console/tickets/{ticket.reference}/"
    entry = ticket.entries.get(body__contains="She will restart the batch")
    assert entry.is_internal and entry.channel == TicketSource.PHONE and "Phone call from" in entry.body
    call.refresh_from_db()
    assert call.ticket == ticket


def test_a_new_phone_ticket_from_the_call_has_the_caller_as_requester_K13(client, phones, token):
    ring(client, token)
    send(client, token, {"event": "answered", "call_id": "c1", "extension": "201"})
    client.force_login(phones.agent.user)
    call = Call.objects.get()
    response = client.post(f"/console/calls/{call.pk}/ticket/", {"kind": "incident", "title": "Printer jams"})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.ticket.source == TicketSource.PHONE and call.ticket.requester == phones.client_a
    assert call.ticket.title == "Printer jams"


def test_a_new_ticket_for_an_unknown_caller_is_refused_with_the_way_forward_K13(client, phones, token):
    ring(client, token, caller="+1 555 0100")
    send(client, token, {"event": "answered", "call_id": "c1", "extension": "201"})
    client.force_login(phones.agent.user)
    call = Call.objects.get()
    response = client.post(f"/console/calls/{call.pk}/ticket/", {"kind": "incident", "title": "Help"}, follow=True)
    assert "find them in the phone intake" in response.content.decode()
    assert call.ticket is None


# --- personal phones -------------------------------------------------------------------------------

def test_a_client_never_sees_the_agents_personal_phone_K13(client, phones, token):
    ticket = _open_ticket_of_anna(phones)
    tickets.ticket_assign(actor=phones.actor("agent"), ticket=ticket, assignee=phones.agent)
    ring(client, token, caller="+372 5999 8888", call_id="c2")  # the agent calls from his own mobile
    client.force_login(phones.client_a.user)
    for address in ("/", f"/tickets/{ticket.reference}/"):
        page = client.get(address).content.decode()
        assert "5999 8888" not in page and "59998888" not in page


def test_the_telephony_system_may_name_the_agent_who_answered_K13(client, phones, token):
    other = StaffFactory(name="Other Agent")
    ring(client, token, extension="999")
    send(client, token, {"event": "answered", "call_id": "c1", "agent": other.email})
    assert Call.objects.get().answered_by == other.user
    client.force_login(other.user)
    assert "Anna" in client.get("/console/calls/current/").content.decode()
