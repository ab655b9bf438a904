"""The client portal: home with progress, reporting (K1, K7), the ticket page, adding information
(K2), the client's own decisions (K3, K11), files as visible as their entry."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tugi.tickets import services
from tugi.tickets.models import Attachment, TicketKind, TicketSource, TicketState

from ..factories import PASSWORD


def signed_in(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def make(cast, who="client_a", **kw):
    fields = {"kind": TicketKind.INCIDENT, "title": "Printer jam", "source": TicketSource.PORTAL}
    fields.update(kw)
    return services.ticket_create(actor=cast.actor(who), **fields)


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_home_shows_my_tickets_with_progress(client, cast):
    make(cast, title="Anna's printer")
    html = html_of(signed_in(client, "anna").get(reverse("portal:home")))
    assert "Anna&#x27;s printer" in html or "Anna's printer" in html
    assert 'aria-current="step"' in html  # the timeline marks where the ticket is


def test_representative_also_sees_the_organisations_tickets(client, cast):
    make(cast, title="Anna's printer")
    make(cast, who="client_b", title="Beeta mail")
    html = html_of(signed_in(client, "rein").get(reverse("portal:home")))
    assert "Other tickets of your organisation" in html and "printer" in html
    assert "Beeta mail" not in html


def test_report_form_explains_the_kinds_and_offers_own_cis_only_K1_K7(client, cast):
    html = html_of(signed_in(client, "anna").get(reverse("portal:report")))
    assert "has stopped working" in html and "keeps coming back" in html and "Nothing is broken" in html
    assert "alfa-srv" in html and "beeta-srv" not in html
    assert "I don&#x27;t know" in html or "I don't know" in html
    assert reverse("portal:faq_suggest") in html


def test_reporting_creates_a_portal_ticket_with_ci_and_files_K1(client, cast):
    c = signed_in(client, "anna")
    response = c.post(reverse("portal:report"), {
        "kind": "incident", "title": "Server is slow", "description": "Since 9 o'clock",
        "configuration_item": cast.ci_a.pk, "urgency": 1, "impact": 2,
        "attachments": [SimpleUploadedFile("shot.png", b"\x89PNG....", content_type="image/png")],
    })
    ticket = cast.client_a.requested_tickets.get()
    assert response["Location"] == reverse("portal:ticket", args=[ticket.reference])
    assert (ticket.source, ticket.kind, ticket.priority) == (TicketSource.PORTAL, "incident", 2)
    assert list(ticket.configuration_items.all()) == [cast.ci_a]
    assert ticket.attachments.get().filename == "shot.png"


def test_reporting_with_another_organisations_ci_is_refused_K7(client, cast):
    c = signed_in(client, "anna")
    html = html_of(c.post(reverse("portal:report"), {"kind": "incident", "title": "x",
                                                     "configuration_item": cast.ci_b.pk, "urgency": 2, "impact": 3}))
    assert "errorlist" in html
    assert not cast.client_a.requested_tickets.exists()


def test_i_dont_know_the_ci_is_fine(client, cast):
    signed_in(client, "anna").post(reverse("portal:report"), {"kind": "service_request", "title": "New account",
                                                              "configuration_item": "", "urgency": 3, "impact": 3})
    assert cast.client_a.requested_tickets.get().kind == "service_request"


def test_ticket_page_shows_the_public_conversation_only(client, cast):
    ticket = make(cast)
    services.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="We ordered a part")
    services.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="Client is difficult", is_internal=True)
    html = html_of(signed_in(client, "anna").get(reverse("portal:ticket", args=[ticket.reference])))
    assert "We ordered a part" in html and "Client is difficult" not in html


def test_other_organisations_ticket_is_404(client, cast):
    ticket = make(cast, who="client_b")
    assert signed_in(client, "anna").get(reverse("portal:ticket", args=[ticket.reference])).status_code == 404


def test_adding_information_with_a_file_K2(client, cast):
    ticket = make(cast)
    c = signed_in(client, "anna")
    c.post(reverse("portal:ticket_add", args=[ticket.reference]),
           {"body": "It smokes now", "attachments": [SimpleUploadedFile("a.txt", b"x", content_type="text/plain")]})
    entry = ticket.entries.get(kind="reply")
    assert (entry.body, entry.channel, entry.attachments.get().filename) == ("It smokes now", "portal", "a.txt")


def test_files_of_internal_notes_are_not_for_clients(client, cast):
    ticket = make(cast)
    services.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="log", is_internal=True,
                              attachments=[SimpleUploadedFile("secret.txt", b"s", content_type="text/plain")])
    services.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="manual",
                              attachments=[SimpleUploadedFile("manual.txt", b"m", content_type="text/plain")])
    secret = Attachment.objects.get(filename="secret.txt")
    public = Attachment.objects.get(filename="manual.txt")
    c = signed_in(client, "anna")
    assert c.get(reverse("portal:attachment", args=[ticket.reference, secret.pk])).status_code == 404
    response = c.get(reverse("portal:attachment", args=[ticket.reference, public.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"m"
    c.logout()
    c = signed_in(client, "bert")
    assert c.get(reverse("portal:attachment", args=[ticket.reference, public.pk])).status_code == 404


def test_too_large_file_is_refused_with_a_clear_message(client, cast, settings):
    settings.TUGI_ATTACHMENT_MAX_BYTES = 10
    c = signed_in(client, "anna")
    html = html_of(c.post(reverse("portal:report"), {
        "kind": "incident", "title": "Big", "urgency": 2, "impact": 3,
        "attachments": [SimpleUploadedFile("big.bin", b"x" * 100)]}))
    assert "larger than" in html
    assert not cast.client_a.requested_tickets.exists()


def test_client_postpones_and_cancels_with_a_reason_K3(client, cast):
    ticket = make(cast)
    c = signed_in(client, "anna")
    response = c.post(reverse("portal:ticket_decide", args=[ticket.reference, "cancel"]), {"reason": ""}, follow=True)
    assert "reason" in response.content.decode()
    until = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    c.post(reverse("portal:ticket_decide", args=[ticket.reference, "postpone"]), {"reason": "On holiday",
                                                                                 "until": until})
    ticket.refresh_from_db()
    assert (ticket.state, ticket.state_reason) == (TicketState.POSTPONED, "On holiday")
    c.post(reverse("portal:ticket_decide", args=[ticket.reference, "cancel"]), {"reason": "Fixed it myself"})
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CANCELLED


def test_the_client_states_wished_times_when_reporting_K8(client, cast):
    soon = (timezone.localtime() + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    later = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    c = signed_in(client, "anna")
    c.post(reverse("portal:report"), {"kind": "incident", "title": "Slow", "urgency": 2, "impact": 3,
                                      "desired_response_by": soon, "desired_resolution_by": later})
    ticket = cast.client_a.requested_tickets.get()
    assert ticket.desired_response_by is not None and ticket.desired_resolution_by > ticket.desired_response_by


def test_a_wish_in_the_past_is_refused_and_no_ticket_is_left_behind_K8(client, cast):
    past = (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    html = html_of(signed_in(client, "anna").post(reverse("portal:report"), {
        "kind": "incident", "title": "Slow", "urgency": 2, "impact": 3, "desired_response_by": past}))
    assert "errorlist" in html
    assert not cast.client_a.requested_tickets.exists()


@pytest.mark.parametrize("name", ["portal:home", "portal:report"])
def test_staff_are_sent_to_the_console(client, cast, name):
    response = signed_in(client, "agent").get(reverse(name))
    assert response["Location"] == reverse("console:queue")
