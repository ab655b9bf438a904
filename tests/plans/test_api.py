"""The plans flow through API v1: what the routes answer and refuse (K5 K6 K8 K10). Who may call
which route is in tests/api/routes_plans.py (the authorisation matrix)."""

import datetime as dt

from django.utils import timezone

from tugi.catalog.models import Criticality

from ..api.conftest import refusal


def later(hours):
    return (timezone.now() + dt.timedelta(hours=hours)).isoformat()


def test_plan_versions_and_the_reason_a_change_needs_K6(api, cast, ticket):
    agent, anna = api("agent"), api("client_a")
    path = f"/tickets/{ticket.reference}/plan"
    assert agent.post(path, {"text": "Restart the ERP service."}).status_code == 201
    response = agent.post(path, {"text": "Replace the disk."})
    assert response.status_code == 400 and refusal(response)["field"] == "reason"
    assert agent.post(path, {"text": "Replace the disk.", "reason": "The disk is failing."}).status_code == 201
    anna.post(f"/tickets/{ticket.reference}/expectations", {"text": "Before payroll"})
    body = anna.get(path).json()
    assert body["current"]["version"] == 2 and body["current"]["reason"] == "The disk is failing."
    assert [v["version"] for v in body["versions"]] == [2, 1]
    assert body["client_expectations"] == "Before payroll"


def test_steps_done_confirmed_and_not_working_K5(api, cast, ticket):
    agent, anna = api("agent"), api("client_a")
    steps = f"/tickets/{ticket.reference}/solution-steps"
    first = agent.post(steps, {"text": "Free disk space"}).json()
    second = agent.post(steps, {"text": "Restart ERP"}).json()
    assert agent.post(f"{steps}/{second['id']}/move", {"position": 1}).json()["position"] == 1
    response = anna.post(f"{steps}/{first['id']}/confirm")
    assert response.status_code == 400 and "not done yet" in refusal(response)["detail"]
    agent.post(f"{steps}/{first['id']}/done")
    agent.post(f"{steps}/{second['id']}/done")
    assert anna.post(f"{steps}/{first['id']}/confirm").json()["confirmed_by"] == "Anna Alfa"
    failed = anna.post(f"{steps}/{second['id']}/not-working", {"comment": "ERP still shows the error"}).json()
    assert failed["done_at"] is None and failed["not_working_comment"] == "ERP still shows the error"
    listed = anna.get(steps).json()
    assert [s["text"] for s in listed] == ["Restart ERP", "Free disk space"]
    entries = anna.get(f"/tickets/{ticket.reference}/entries").json()
    assert any("ERP still shows the error" in e["body"] and e["kind"] == "reply" for e in entries)


def test_a_step_of_another_ticket_is_not_found_K5(api, cast, ticket):
    agent = api("agent")
    step = agent.post(f"/tickets/{ticket.reference}/solution-steps", {"text": "Free disk space"}).json()
    other = agent.post("/tickets", {"kind": "incident", "title": "Other", "requester_id": cast.client_a.pk}).json()
    assert agent.post(f"/tickets/{other['reference']}/solution-steps/{step['id']}/done").status_code == 404


def test_times_side_by_side_and_the_mission_critical_start_K8(api, cast, ticket):
    cast.service.criticality = Criticality.MISSION_CRITICAL
    cast.service.save()
    agent, anna = api("agent"), api("client_a")
    times = f"/tickets/{ticket.reference}/times"
    body = anna.get(times).json()
    assert body["is_mission_critical"] and body["needs_approximate_time"]
    response = agent.post(f"/tickets/{ticket.reference}/transitions", {"action": "start"})
    assert response.status_code == 409 and "approximate resolution time" in refusal(response)["detail"]
    past = anna.post(f"{times}/wishes", {"desired_response_by": later(-2)})
    assert past.status_code == 400 and refusal(past)["field"] == "desired_response_by"
    assert anna.post(f"{times}/wishes", {"desired_response_by": later(2), "desired_resolution_by": later(24)}
                     ).json()["desired_resolution_by"] is not None
    assert not agent.post(f"{times}/approximate-resolution", {"at": later(12)}).json()["needs_approximate_time"]
    assert agent.post(f"/tickets/{ticket.reference}/transitions", {"action": "start"}).json()["state"] == "in_progress"


def test_risks_recorded_and_changed_K10(api, cast, ticket):
    agent, anna = api("agent"), api("client_a")
    risks = f"/tickets/{ticket.reference}/risks"
    bad = agent.post(risks, {"text": "Payroll may run late", "likelihood": "certain"})
    assert bad.status_code == 422
    risk = agent.post(risks, {"text": "Payroll may run late", "likelihood": "medium"}).json()
    agent.post(f"{risks}/{risk['id']}", {"text": "Payroll runs a day late", "impact": "high"})
    assert [(r["text"], r["impact"]) for r in anna.get(risks).json()] == [("Payroll runs a day late", "high")]
