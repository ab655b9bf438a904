"""API v1 of the visits flow: access (K4) and appointments (K21), and the rule that a client's
answers never carry the ticket's internal planned start and end."""

import datetime as dt
import json

import icalendar
import pytest
from django.utils import timezone

from tugi.tickets import services as tickets
from tugi.visits import services

from ..api.conftest import refusal, report


@pytest.fixture
def ticket(cast):
    t = report(cast, title="ERP will not start")
    return tickets.ticket_assign(actor=cast.actor("agent"), ticket=t, assignee=cast.agent)


def window(days=2):
    start = (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)
    return start, start + dt.timedelta(hours=2)


def test_access_through_the_api_blocks_start_until_the_client_confirms_K4(api, cast, ticket):
    agent, client = api("agent"), api("client_a")
    ref = ticket.reference
    created = agent.post(f"/tickets/{ref}/access", {"kind": "room", "what": "Server room 2", "whom_to_ask": "Mari"})
    assert created.status_code == 201, created.content
    access_id = created.json()["id"]
    started = agent.post(f"/tickets/{ref}/transitions", {"action": "start"})
    assert started.status_code == 409
    assert "room “Server room 2” (ask: Mari)" in refusal(started)["detail"]
    planned = agent.post(f"/tickets/{ref}/appointments",
                         {"starts_at": window()[0].isoformat(), "ends_at": window()[1].isoformat(),
                          "staff_id": cast.agent.pk})
    assert planned.status_code == 409 and refusal(planned)["code"] == "access_unconfirmed"
    listed = client.get(f"/tickets/{ref}/access").json()
    assert [(a["what"], a["is_confirmed"]) for a in listed] == [("Server room 2", False)]
    confirmed = client.post(f"/tickets/{ref}/access/{access_id}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["confirmed_by"] == "Anna Alfa"
    assert agent.post(f"/tickets/{ref}/transitions", {"action": "start"}).status_code == 200


def test_the_desk_must_name_who_confirmed_by_phone_K4(api, cast, ticket):
    requirement = services.access_requirement_add(actor=cast.actor("agent"), ticket=ticket, kind="building",
                                                  what="Building B")
    answer = api("agent").post(f"/tickets/{ticket.reference}/access/{requirement.pk}/confirm")
    assert answer.status_code == 400 and refusal(answer)["field"] == "confirmed_by"


def test_plan_change_cancel_and_the_calendar_through_the_api_K21(api, cast, ticket):
    agent = api("agent")
    ref = ticket.reference
    start, end = window()
    planned = agent.post(f"/tickets/{ref}/appointments", {"starts_at": start.isoformat(), "ends_at": end.isoformat(),
                                                          "staff_id": cast.agent.pk, "kind": "remote"})
    assert planned.status_code == 201, planned.content
    body = planned.json()
    assert body["sequence"] == 0 and body["staff"]["name"] == "Agent Smith"
    pk, uid = body["id"], body["uid"]
    changed = agent.post(f"/tickets/{ref}/appointments/{pk}/change",
                         {"starts_at": start.isoformat(), "ends_at": (end + dt.timedelta(hours=1)).isoformat(),
                          "staff_id": cast.agent.pk, "kind": "remote"})
    assert changed.status_code == 200 and changed.json()["sequence"] == 1 and changed.json()["uid"] == uid
    ics = api("client_a").get(f"/tickets/{ref}/appointments/{pk}/calendar.ics")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert int(event["sequence"]) == 1 and str(event["uid"]) == uid
    cancelled = agent.post(f"/tickets/{ref}/appointments/{pk}/cancel", {"reason": "Ill"})
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["sequence"] == 2
    again = agent.post(f"/tickets/{ref}/appointments/{pk}/cancel", {})
    assert again.status_code == 409


def test_a_backwards_window_is_refused_with_the_field_K21(api, cast, ticket):
    start, end = window()
    answer = api("agent").post(f"/tickets/{ticket.reference}/appointments",
                               {"starts_at": end.isoformat(), "ends_at": start.isoformat(),
                                "staff_id": cast.agent.pk})
    assert answer.status_code == 400 and refusal(answer)["field"] == "ends_at"


def test_a_clients_answers_never_carry_the_internal_planned_work_time_K21(api, cast, ticket):
    start = timezone.make_aware(dt.datetime(2031, 7, 14, 9, 37))
    end = timezone.make_aware(dt.datetime(2031, 7, 15, 16, 53))
    agent = api("agent")
    ref = ticket.reference
    set_ = agent.post(f"/tickets/{ref}/planned-work", {"planned_start": start.isoformat(),
                                                       "planned_end": end.isoformat()})
    assert set_.status_code == 200
    assert agent.get(f"/tickets/{ref}/planned-work").json()["planned_start"].startswith("2031-07-14")
    services.appointment_plan(actor=cast.actor("agent"), ticket=ticket, starts_at=window()[0],
                              ends_at=window()[1], staff=cast.agent)
    services.access_requirement_add(actor=cast.actor("agent"), ticket=ticket, kind="room", what="Server room 2")
    appointment = ticket.appointments.get()
    for who in ("client_a", "representative_a"):
        client = api(who)
        assert client.get(f"/tickets/{ref}/planned-work").status_code == 403
        for path in ("/tickets", f"/tickets/{ref}", f"/tickets/{ref}/entries", f"/tickets/{ref}/access",
                     f"/tickets/{ref}/appointments", f"/tickets/{ref}/appointments/{appointment.pk}/calendar.ics"):
            answer = client.get(path)
            assert answer.status_code == 200, (who, path)
            text = answer.content.decode()
            if answer["Content-Type"].startswith("application/json"):
                text += json.dumps(answer.json())
            assert "planned_start" not in text and "planned_end" not in text, (who, path)
            assert "2031" not in text, (who, path)
