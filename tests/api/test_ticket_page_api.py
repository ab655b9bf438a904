"""What the ticket pages do, done through API v1: wished times and files with the report (K1, K8),
the phone intake (K13), files, links (S1), items (K7), reclassification (K1), priority (K15),
participants (K2) and the queues. Each route calls the page's service, so the same rules answer."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tugi.notifications.models import Notification
from tugi.tickets import services
from tugi.tickets.models import Ticket, TicketCI, TicketSource

from .conftest import refusal, report, upload


def _told(email: str, event: str) -> bool:
    return Notification.objects.filter(recipient_email=email, event=event).exists()


def _ticket(reference: str) -> Ticket:
    return Ticket.objects.get(reference=reference)


# --- creating (K1, K8, K13) ---------------------------------------------------------------------------

def test_a_client_reports_with_wished_times_like_the_report_form_K8(api):
    wish = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    response = api("client_a").post("/tickets", {"kind": "incident", "title": "ERP is slow",
                                                 "desired_resolution_by": wish.isoformat()})
    assert response.status_code == 201, response.content
    assert _ticket(response.json()["reference"]).desired_resolution_by == wish


def test_a_client_cannot_choose_the_service_as_the_report_form_does_not_offer_it_K1(api, cast):
    """The SLA follows the service: the client names the device or system, the desk the service."""
    response = api("client_a").post("/tickets", {"kind": "incident", "title": "ERP is slow",
                                                 "service_id": cast.service.pk})
    assert response.status_code == 400 and refusal(response)["field"] == "service_id"
    assert "device or system" in refusal(response)["detail"]
    assert not Ticket.objects.filter(title="ERP is slow").exists()
    desk = api("agent").post("/tickets", {"kind": "incident", "title": "ERP is slow", "service_id": cast.service.pk,
                                          "organisation_id": cast.org_a.pk})
    assert desk.status_code == 201 and _ticket(desk.json()["reference"]).service == cast.service


def test_a_wish_in_the_past_is_refused_and_leaves_no_ticket_K8(api):
    past = (timezone.now() - dt.timedelta(days=1)).isoformat()
    response = api("client_a").post("/tickets", {"kind": "incident", "title": "Too late",
                                                 "desired_response_by": past})
    assert response.status_code == 400
    assert refusal(response)["field"] == "desired_response_by"
    assert not Ticket.objects.filter(title="Too late").exists()


def test_the_desk_logs_a_phone_call_as_a_phone_ticket_K13(api, cast):
    response = api("agent").post("/tickets", {"kind": "incident", "title": "Called: printer",
                                              "requester_id": cast.client_a.pk, "by_phone": True})
    assert response.status_code == 201, response.content
    assert response.json()["source"] == TicketSource.PHONE
    assert response.json()["requester"]["name"] == "Anna Alfa"


def test_a_client_cannot_log_a_phone_call_K13(api):
    response = api("client_a").post("/tickets", {"kind": "incident", "title": "Me", "by_phone": True})
    assert response.status_code == 403
    assert "phone" in refusal(response)["detail"]


def test_a_report_with_files_keeps_them_and_they_download_as_sent_K1(api, cast):
    caller = api("client_a")
    response = caller.post_multipart("/tickets/with-files", {
        "kind": "incident", "title": "Error on screen", "configuration_item_ids": [cast.ci_a.pk],
        "files": [upload("error.png", b"PNG-bytes")],
    })
    assert response.status_code == 201, response.content
    reference = response.json()["reference"]
    files = caller.get(f"/tickets/{reference}/attachments").json()
    assert [(f["filename"], f["size"], f["entry_id"]) for f in files] == [("error.png", 9, None)]
    download = caller.get(f"/tickets/{reference}/attachments/{files[0]['id']}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"PNG-bytes"
    assert "error.png" in download["Content-Disposition"]
    assert _ticket(reference).ci_links.get().configuration_item == cast.ci_a


def test_a_file_too_large_is_refused_with_the_field(api, settings):
    settings.TUGI_ATTACHMENT_MAX_BYTES = 4
    response = api("client_a").post_multipart("/tickets/with-files", {
        "kind": "incident", "title": "Big", "files": [upload("big.bin", b"123456789")]})
    assert response.status_code == 400
    assert refusal(response)["field"] == "attachments"


# --- files on the conversation (K2) -------------------------------------------------------------------

@pytest.fixture
def ticket(cast):
    return report(cast, title="Alfa payroll run fails", configuration_items=[cast.ci_a])


def test_a_file_of_an_internal_note_is_never_a_clients(api, ticket):
    note = api("agent").post_multipart(f"/tickets/{ticket.reference}/entries/with-files", {
        "body": "Server log", "internal": "true", "files": [upload("server.log", b"secret")]})
    assert note.status_code == 201, note.content
    assert note.json()["internal"] is True
    file_id = ticket.attachments.get().pk
    client = api("client_a")
    assert client.get(f"/tickets/{ticket.reference}/attachments").json() == []
    assert client.get(f"/tickets/{ticket.reference}/attachments/{file_id}").status_code == 404
    assert api("agent").get(f"/tickets/{ticket.reference}/attachments/{file_id}").status_code == 200


def test_a_clients_reply_with_a_file_tells_the_assignee_K2(api, cast, ticket):
    services.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)
    response = api("client_a").post_multipart(f"/tickets/{ticket.reference}/entries/with-files", {
        "body": "The screenshot you asked for", "files": [upload()]})
    assert response.status_code == 201, response.content
    assert ticket.attachments.get().entry_id == response.json()["id"]
    assert _told(cast.agent.email, "ticket_updated")


# --- links (S1) -----------------------------------------------------------------------------------------

def test_a_link_is_read_from_both_ends_S1(api, cast, ticket):
    other = report(cast, title="Alfa payroll, second site")
    response = api("agent").post(f"/tickets/{ticket.reference}/links",
                                 {"target": other.reference, "kind": "duplicate_of"})
    assert response.status_code == 201, response.content
    assert [(link["kind"], link["ticket"]) for link in response.json()] == [("duplicate_of", other.reference)]
    back = api("client_a").get(f"/tickets/{other.reference}/links").json()
    assert [(link["ticket"], link["label"]) for link in back] == [(ticket.reference, "has duplicate")]


def test_linking_to_a_ticket_one_cannot_see_is_an_unknown_target(api, cast, ticket):
    response = api("agent").post(f"/tickets/{ticket.reference}/links", {"target": "INC-999999", "kind": "related_to"})
    assert response.status_code == 400
    assert refusal(response)["field"] == "target"


def test_a_client_cannot_link_tickets(api, cast, ticket):
    other = report(cast, title="Another of Anna's")
    response = api("client_a").post(f"/tickets/{ticket.reference}/links",
                                    {"target": other.reference, "kind": "related_to"})
    assert response.status_code == 403


def test_a_problem_arises_from_an_incident_with_its_client_and_items_S1(api, cast, ticket):
    response = api("agent").post(f"/tickets/{ticket.reference}/related",
                                 {"kind": "problem", "title": "Payroll runs keep failing"})
    assert response.status_code == 201, response.content
    problem = response.json()
    assert problem["reference"].startswith("PRB-")
    assert problem["source"] == TicketSource.TICKET and problem["requester"]["name"] == "Anna Alfa"
    links = api("agent").get(f"/tickets/{ticket.reference}/links").json()
    assert [(link["ticket"], link["label"]) for link in links] == [(problem["reference"], "gave rise to")]


# --- configuration items (K7) -----------------------------------------------------------------------------

def test_the_desk_confirms_the_item_a_client_named_K7(api, cast, ticket):
    path = f"/tickets/{ticket.reference}/configuration-items"
    assert [(c["name"], c["status"]) for c in api("client_a").get(path).json()] == [("alfa-srv", "proposed")]
    refused = api("client_a").post(f"{path}/{cast.ci_a.pk}/confirm")
    assert refused.status_code == 403
    response = api("agent").post(f"{path}/{cast.ci_a.pk}/confirm")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "confirmed" and response.json()["decided_by"] == "Agent Smith"


def test_the_desk_corrects_the_item_and_the_wrong_one_is_kept_as_not_related_K7(api, cast, ticket):
    from ..factories import CIFactory

    right = CIFactory(organisation=cast.org_a, name="alfa-db")
    response = api("agent").post(f"/tickets/{ticket.reference}/configuration-items/{cast.ci_a.pk}/correct",
                                 {"right_id": right.pk, "reason": "The database fails, not the server."})
    assert response.status_code == 200, response.content
    assert {(c["name"], c["status"]) for c in response.json()} == {("alfa-srv", "rejected"), ("alfa-db", "confirmed")}
    # The client sees what the ticket concerns now, not the desk's mistake.
    seen = api("client_a").get(f"/tickets/{ticket.reference}/configuration-items").json()
    assert [(c["name"], c["status"]) for c in seen] == [("alfa-db", "confirmed")]


def test_an_item_not_on_the_ticket_cannot_be_confirmed(api, cast, ticket):
    from ..factories import CIFactory

    other = CIFactory(organisation=cast.org_a, name="alfa-printer")
    response = api("agent").post(f"/tickets/{ticket.reference}/configuration-items/{other.pk}/confirm")
    assert response.status_code == 404
    refusal(response)


def test_a_client_cannot_link_another_organisations_item_K7(api, cast, ticket):
    response = api("client_a").post(f"/tickets/{ticket.reference}/configuration-items",
                                    {"configuration_item_id": cast.ci_b.pk})
    assert response.status_code == 400
    assert refusal(response)["field"] == "configuration_item_id"
    assert not TicketCI.objects.filter(configuration_item=cast.ci_b, ticket=ticket).exists()


# --- reclassification (K1) and priority (K15) -----------------------------------------------------------

def test_reclassifying_gives_a_new_reference_and_keeps_the_history_K1(api, ticket):
    old = ticket.reference
    response = api("agent").post(f"/tickets/{old}/reclassify", {"kind": "problem", "reason": "It recurs weekly"})
    assert response.status_code == 200, response.content
    new = response.json()["reference"]
    assert new.startswith("PRB-") and new != old
    assert api("client_a").get(f"/tickets/{old}").json()["reference"] == new
    history = api("client_a").get(f"/tickets/{new}/kind-history").json()
    assert [(h["old_reference"], h["new_reference"], h["reason"]) for h in history] == [(old, new, "It recurs weekly")]


def test_reclassifying_without_a_reason_is_refused_with_the_field_K1(api, ticket):
    response = api("agent").post(f"/tickets/{ticket.reference}/reclassify", {"kind": "problem", "reason": " "})
    assert response.status_code == 400
    assert refusal(response)["field"] == "reason"


def test_the_desk_sets_impact_and_urgency_and_the_priority_follows_K15(api, ticket):
    response = api("agent").post(f"/tickets/{ticket.reference}/priority",
                                 {"impact": 1, "urgency": 1, "reason": "Payroll day"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["impact"], body["urgency"], body["priority"]) == (1, 1, 1)


def test_a_client_asks_for_a_priority_instead_of_setting_it_K15(api, ticket):
    response = api("client_a").post(f"/tickets/{ticket.reference}/priority", {"impact": 1, "urgency": 1})
    assert response.status_code == 403
    assert "ask" in refusal(response)["detail"].lower()
    assert _ticket(ticket.reference).priority == ticket.priority


def test_the_desk_sets_the_service_and_the_due_times_follow_K8(api, ticket):
    from tugi.sla.models import SLAPolicy

    from ..factories import ServiceFactory

    payroll = ServiceFactory(name="Payroll")
    default = SLAPolicy.objects.get(service__isnull=True, priority=ticket.priority)
    SLAPolicy.objects.create(service=payroll, priority=ticket.priority, calendar=default.calendar,
                             response_target=default.response_target, resolution_target=default.resolution_target * 2)
    response = api("agent").post(f"/tickets/{ticket.reference}/service",
                                 {"service_id": payroll.pk, "reason": "Payroll"})
    assert response.status_code == 200, response.content
    assert response.json()["service"]["id"] == payroll.pk
    assert _ticket(ticket.reference).resolution_due_at > ticket.resolution_due_at
    unknown = api("agent").post(f"/tickets/{ticket.reference}/service", {"service_id": 999999})
    assert unknown.status_code == 400 and refusal(unknown)["field"] == "service_id"
    assert api("client_a").post(f"/tickets/{ticket.reference}/service", {"service_id": payroll.pk}).status_code == 403


# --- participants (K2) --------------------------------------------------------------------------------------

def test_the_desk_adds_a_watcher_who_is_then_told_of_new_information_K2(api, cast, ticket):
    response = api("agent").post(f"/tickets/{ticket.reference}/participants",
                                 {"contact_id": cast.representative_a.pk, "role": "watcher"})
    assert response.status_code == 201, response.content
    assert {(p["name"], p["role"]) for p in response.json()} == {("Anna Alfa", "participant"),
                                                                 ("Rein Alfa", "watcher")}
    assert not _told(cast.representative_a.email, "ticket_updated")
    api("agent").post(f"/tickets/{ticket.reference}/entries", {"body": "We restarted the payroll service."})
    assert _told(cast.representative_a.email, "ticket_updated")


def test_a_client_cannot_add_another_organisations_contact(api, cast, ticket):
    response = api("representative_a").post(f"/tickets/{ticket.reference}/participants",
                                            {"contact_id": cast.client_b.pk})
    assert response.status_code == 400
    assert refusal(response)["field"] == "contact_id"


# --- queues -------------------------------------------------------------------------------------------------

def test_the_queues_count_as_the_console_does(api, cast, ticket):
    services.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)
    report(cast, title="Nobody's yet")
    counts = {q["key"]: q["count"] for q in api("agent").get("/queues").json()}
    assert counts == {"mine": 1, "unassigned": 1, "open": 2, "waiting": 0, "all": 2}
    mine = api("agent").get("/tickets", view="mine").json()["items"]
    assert [t["reference"] for t in mine] == [ticket.reference]
    assert api("service_manager").get("/tickets", view="mine").json()["items"] == []


def test_a_clients_mine_is_what_they_reported(api, cast, ticket):
    report(cast, who="representative_a", title="Rein's own")
    mine = api("representative_a").get("/tickets", view="mine").json()["items"]
    assert [t["title"] for t in mine] == ["Rein's own"]
    everything = api("representative_a").get("/tickets").json()["items"]
    assert {t["title"] for t in everything} == {"Rein's own", "Alfa payroll run fails"}


def test_a_client_has_no_queues(api):
    assert api("client_a").get("/queues").status_code == 403


def test_a_client_sees_the_clients_taking_part_not_the_desks_people_K2(api, cast, ticket):
    services.ticket_add_participant(actor=cast.actor("agent"), ticket=ticket, staff=cast.service_manager,
                                    role="watcher")
    seen_by_client = {p["name"] for p in api("client_a").get(f"/tickets/{ticket.reference}/participants").json()}
    seen_by_desk = {p["name"] for p in api("agent").get(f"/tickets/{ticket.reference}/participants").json()}
    assert seen_by_client == {"Anna Alfa"}
    assert seen_by_desk == {"Anna Alfa", "Service Manager"}


def test_the_desk_reads_a_tickets_service_level_as_the_console_shows_it_K8_K17(api, cast):
    """The policy, the due times, the out-of-hours path and each escalation step; a client gets the
    due times beside their wishes (…/times) and the out-of-hours path on the ticket, not the steps."""
    with time_machine.travel(dt.datetime(2026, 3, 8, 3, 0, tzinfo=dt.UTC)):  # a Sunday night: work starts Monday
        reference = api("client_a").post("/tickets", {"kind": "incident", "title": "ERP is slow"}).json()["reference"]
    ticket = _ticket(reference)
    assert ticket.out_of_hours == "next_working_time" and ticket.work_starts_at is not None

    sla = api("agent").get(f"/tickets/{reference}/sla")
    assert sla.status_code == 200, sla.content
    body = sla.json()
    assert body["policy"] == ticket.sla_policy_label and "P" in body["policy"]
    assert body["resolution_due_at"] is not None and body["is_sla_paused"] is False
    steps = {(step["target"], step["threshold"]) for step in body["escalations"]}
    assert steps == set(ticket.sla_escalations.values_list("target", "threshold")) and steps
    assert all(step["status"] == "armed" for step in body["escalations"])
    starts = body["work_starts_at"] and dt.datetime.fromisoformat(body["work_starts_at"].replace("Z", "+00:00"))
    assert body["out_of_hours"] == ticket.out_of_hours and starts == ticket.work_starts_at

    refused = api("client_a").get(f"/tickets/{reference}/sla")
    assert refused.status_code == 403 and "service desk" in refusal(refused)["detail"]
    own = api("client_a").get(f"/tickets/{reference}").json()
    assert own["out_of_hours"] == ticket.out_of_hours and "escalations" not in own
