"""The agent console: queues, the ticket page's actions, phone intake (K13), organisation and CI
views, search. Clients never reach it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tugi.tickets import services
from tugi.tickets.models import SavedView, TicketCI, TicketKind, TicketLink, TicketSource, TicketState

from ..factories import PASSWORD


@pytest.fixture
def agent_client(client, cast):
    assert client.login(username="agent", password=PASSWORD)
    return client


def make(cast, who="client_a", **kw):
    fields = {"kind": TicketKind.INCIDENT, "title": "Printer jam", "source": TicketSource.PORTAL}
    fields.update(kw)
    return services.ticket_create(actor=cast.actor(who), **fields)


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("name", ["console:queue", "console:phone", "console:search", "console:organisations"])
def test_clients_get_403_and_anonymous_sign_in(client, cast, name):
    assert client.get(reverse(name)).status_code == 302
    assert client.login(username="anna", password=PASSWORD)
    assert client.get(reverse(name)).status_code == 403


def test_queue_views_filter_and_count(agent_client, cast):
    mine = make(cast, title="Mine one")
    services.ticket_assign(actor=cast.actor("agent"), ticket=mine, assignee=cast.agent)
    make(cast, who="client_b", title="Beeta unassigned")
    html = page(agent_client.get(reverse("console:queue"), {"view": "mine"}))
    assert "Mine one" in html and "Beeta unassigned" not in html
    html = page(agent_client.get(reverse("console:queue"), {"view": "unassigned"}))
    assert "Beeta unassigned" in html and "Mine one" not in html
    html = page(agent_client.get(reverse("console:queue"), {"organisation": cast.org_b.pk, "view": "all"}))
    assert "Beeta unassigned" in html and "Mine one" not in html
    html = page(agent_client.get(reverse("console:queue"), {"q": "mine", "view": "all"}))
    assert "Mine one" in html and "Beeta unassigned" not in html
    assert '<span class="count">1</span>' in html  # "mine" tab


def test_queue_sorts_and_pages(agent_client, cast):
    for i in range(55):
        make(cast, title=f"Ticket number {i:02d}", impact=1 if i == 3 else 3)
    first = page(agent_client.get(reverse("console:queue")))
    assert "Ticket number 54" in first and "Ticket number 00" not in first
    assert "page=2" in first
    second = page(agent_client.get(reverse("console:queue"), {"page": 2}))
    assert "Ticket number 00" in second
    by_priority = page(agent_client.get(reverse("console:queue"), {"sort": "priority"}))
    assert by_priority.index("Ticket number 03") < by_priority.index("Ticket number 54")


def test_queue_htmx_request_renders_only_the_results(agent_client, cast):
    make(cast)
    response = agent_client.get(reverse("console:queue"), HTTP_HX_REQUEST="true")
    html = page(response)
    assert html.lstrip().startswith('<div id="queue-results">')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_queue_query_count_does_not_grow_with_tickets(agent_client, cast, django_assert_max_num_queries):
    make(cast)
    with django_assert_max_num_queries(20) as small:
        agent_client.get(reverse("console:queue"))
    for _ in range(30):
        make(cast, who="client_b")
    with django_assert_max_num_queries(len(small.captured_queries)):
        agent_client.get(reverse("console:queue"))


def test_saved_view_keeps_the_filters(agent_client, cast):
    agent_client.post(reverse("console:saved_view_create"), {"name": "Beeta", "query": f"organisation={cast.org_b.pk}"})
    saved = SavedView.objects.get(owner=cast.agent)
    assert saved.query == f"organisation={cast.org_b.pk}"
    assert "Beeta" in page(agent_client.get(reverse("console:queue")))
    agent_client.post(reverse("console:saved_view_delete", args=[saved.pk]))
    assert not SavedView.objects.exists()


def act(agent_client, ticket, what, **data):
    return agent_client.post(reverse("console:ticket_action", args=[ticket.reference, what]), data, follow=True)


def test_ticket_page_shows_everything_and_internal_notes(agent_client, cast):
    ticket = make(cast, configuration_items=[cast.ci_a])
    services.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="Secret note", is_internal=True)
    html = page(agent_client.get(reverse("console:ticket", args=[ticket.reference])))
    for text in ("Printer jam", "Anna Alfa", "Alfa OÜ", "alfa-srv", "Secret note", "Start work"):
        assert text in html


def test_assign_start_resolve_through_the_page(agent_client, cast):
    ticket = make(cast)
    html = act(agent_client, ticket, "transition", action="start").content.decode()
    assert "Assign the ticket to a specialist first." in html  # refused, and says why
    act(agent_client, ticket, "assign", assignee=cast.agent.pk)
    act(agent_client, ticket, "transition", action="start")
    act(agent_client, ticket, "transition", action="resolve", reason="Cleaned the rollers")
    ticket.refresh_from_db()
    assert (ticket.state, ticket.assignee, ticket.state_reason) == (TicketState.RESOLVED, cast.agent,
                                                                    "Cleaned the rollers")


def test_postpone_needs_a_date(agent_client, cast):
    ticket = make(cast)
    html = act(agent_client, ticket, "transition", action="postpone", reason="Holidays").content.decode()
    assert "Please choose the date" in html
    until = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    act(agent_client, ticket, "transition", action="postpone", reason="Holidays", until=until)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.POSTPONED


def test_reply_and_internal_note_with_attachment(agent_client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ticket = make(cast)
    act(agent_client, ticket, "entry", body="We are on it")
    act(agent_client, ticket, "entry", body="Check the drum", internal="on",
        attachments=SimpleUploadedFile("log.txt", b"error 42", content_type="text/plain"))
    entries = list(ticket.entries.filter(kind__in=["reply", "note"]).values_list("kind", "is_internal", "body"))
    assert entries == [("reply", False, "We are on it"), ("note", True, "Check the drum")]
    attachment = ticket.attachments.get()
    assert attachment.is_internal and attachment.filename == "log.txt"


def test_link_related_reclassify_priority_and_ci_actions(agent_client, cast):
    ticket = make(cast, configuration_items=[cast.ci_a])
    other = make(cast, title="Other")
    act(agent_client, ticket, "link", kind="related_to", target=other.reference.lower())
    assert TicketLink.objects.filter(source=ticket, target=other).exists()
    html = act(agent_client, ticket, "link", kind="related_to", target="INC-999999").content.decode()
    assert "No ticket INC-999999" in html
    act(agent_client, ticket, "related", kind="problem", title="Why do printers jam", link="arose_from")
    assert TicketLink.objects.filter(target=ticket, kind="arose_from", source__kind="problem").exists()
    act(agent_client, ticket, "priority", impact=1, urgency=1)
    act(agent_client, ticket, "ci-confirm", configuration_item=cast.ci_a.pk)
    assert TicketCI.objects.get(ticket=ticket).status == "confirmed"
    response = act(agent_client, ticket, "reclassify", kind="service_request", reason="A wish")
    ticket.refresh_from_db()
    assert ticket.reference.startswith("REQ-") and ticket.priority == 1
    assert response.redirect_chain[-1][0] == reverse("console:ticket", args=[ticket.reference])


def test_unknown_action_is_404(agent_client, cast):
    ticket = make(cast)
    assert agent_client.post(reverse("console:ticket_action", args=[ticket.reference, "explode"])).status_code == 404


def test_phone_intake_finds_the_caller_and_logs_a_phone_ticket_K13(agent_client, cast):
    cast.org_a.is_vip = True
    cast.org_a.save()
    open_one = make(cast, title="Earlier trouble")
    digits = "".join(ch for ch in cast.client_a.phone if ch.isdigit())
    html = page(agent_client.get(reverse("console:phone"), {"q": digits[-7:]}))
    for text in ("Anna Alfa", "Alfa OÜ", "VIP", open_one.reference, "alfa-srv"):
        assert text in html
    response = agent_client.post(
        reverse("console:phone") + f"?contact={cast.client_a.pk}",
        {"contact": cast.client_a.pk, "kind": "incident", "title": "Mail is down", "impact": 2, "urgency": 1,
         "configuration_item": cast.ci_a.pk},
    )
    assert response.status_code == 302
    ticket = cast.client_a.requested_tickets.get(title="Mail is down")
    assert (ticket.source, ticket.priority) == (TicketSource.PHONE, 2)
    assert list(ticket.configuration_items.all()) == [cast.ci_a]


def test_phone_intake_live_search_is_a_partial(agent_client, cast):
    html = page(agent_client.get(reverse("console:phone"), {"q": "bert"}, HTTP_HX_REQUEST="true"))
    assert html.lstrip().startswith('<div id="callers">') and "Bert Beeta" in html


def test_organisation_and_ci_views(agent_client, cast):
    ticket = make(cast, configuration_items=[cast.ci_a])
    html = page(agent_client.get(reverse("console:organisation", args=[cast.org_a.pk])))
    for text in ("Anna Alfa", "Rein Alfa", "alfa-srv", ticket.reference):
        assert text in html
    html = page(agent_client.get(reverse("console:ci", args=[cast.ci_a.pk])))
    assert ticket.reference in html
    assert agent_client.get(reverse("console:organisation", args=[99999])).status_code == 404


def test_search_across_tickets_contacts_organisations_and_cis(agent_client, cast):
    make(cast, title="Alfa printer is loud")
    html = page(agent_client.get(reverse("console:search"), {"q": "alfa"}))
    for text in ("Alfa printer is loud", "Anna Alfa", "Alfa OÜ", "alfa-srv"):
        assert text in html


def test_organisation_page_asks_portal_access_for_a_contact_K18(agent_client, cast):
    from tugi.directory.models import PortalAccess

    contact = cast.client_a
    contact.portal_access = PortalAccess.NONE
    contact.save(update_fields=["portal_access"])
    url = reverse("console:organisation", args=[cast.org_a.pk])
    html = page(agent_client.get(url))
    assert reverse("console:access_request_for_contact", args=[contact.pk]) in html
    agent_client.post(reverse("console:access_request_for_contact", args=[contact.pk]), {"next": url})
    contact.refresh_from_db()
    assert contact.portal_access == PortalAccess.REQUESTED


def test_a_reply_naming_a_price_is_held_back_until_the_agent_confirms_K20(agent_client, cast):
    ticket = make(cast)
    response = act(agent_client, ticket, "entry", body="A new laptop costs about 900 EUR.")
    html = response.content.decode()
    assert "The desk does not quote prices" in html
    assert "A new laptop costs about 900 EUR." in html  # the text is kept for editing
    assert not ticket.entries.filter(kind="reply").exists()
    act(agent_client, ticket, "entry", body="The service manager will send you a quote.")
    act(agent_client, ticket, "entry", body="It costs 900 EUR.", send_anyway="on")
    assert list(ticket.entries.filter(kind="reply").values_list("body", flat=True)) == [
        "The service manager will send you a quote.", "It costs 900 EUR."]


def test_internal_notes_may_talk_about_prices_K20(agent_client, cast):
    ticket = make(cast)
    act(agent_client, ticket, "entry", body="Quote was 900 EUR", internal="on")
    assert ticket.entries.filter(kind="note").exists()


def test_ci_page_shows_third_party_work_K9(agent_client, cast):
    from django.utils import timezone

    from tugi.cmdb.services import third_party_work_declare

    third_party_work_declare(actor=cast.actor("agent"), configuration_item=cast.ci_a, party="Elektrik OÜ",
                             what="Rewiring the server room", starts_at=timezone.now())
    assert "Elektrik OÜ" in page(agent_client.get(reverse("console:ci", args=[cast.ci_a.pk])))


def test_the_queue_shows_the_time_left_and_what_is_overdue_K8(agent_client, cast, time_machine):
    import datetime as dt

    from django.utils import timezone

    ticket = make(cast, title="Clock is running", impact=1, urgency=1)  # P1: due within hours
    ticket.refresh_from_db()
    assert ticket.resolution_due_at is not None  # the desk-wide default policy applies
    html = page(agent_client.get(reverse("console:queue")))
    assert " left" in html and "sla-overdue" not in html
    time_machine.move_to(ticket.resolution_due_at + dt.timedelta(days=1))
    assert timezone.now() > ticket.resolution_due_at
    assert "sla-overdue" in page(agent_client.get(reverse("console:queue")))


def test_the_desk_sets_the_service_and_the_due_times_follow_its_policy_K8(agent_client, cast):
    from tugi.sla.models import SLAPolicy

    from ..factories import ServiceFactory

    payroll = ServiceFactory(name="Payroll")
    ticket = services.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="Payslips",
                                    source=TicketSource.PORTAL)
    before = ticket.resolution_due_at
    page = agent_client.get(reverse("console:ticket", args=[ticket.reference]))
    assert "Payroll" in page.content.decode()
    default = SLAPolicy.objects.get(service__isnull=True, priority=ticket.priority)
    SLAPolicy.objects.create(service=payroll, priority=ticket.priority, calendar=default.calendar,
                             response_target=default.response_target, resolution_target=default.resolution_target * 2)
    response = agent_client.post(reverse("console:ticket_action", args=[ticket.reference, "service"]),
                                 {"service": payroll.pk, "reason": "It is the payroll system"}, follow=True)
    assert "Service saved" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.service == payroll and ticket.resolution_due_at > before
    refused = agent_client.post(reverse("console:ticket_action", args=[ticket.reference, "service"]),
                                {"service": 999999}, follow=True)
    assert "Please choose a service that is offered." in refused.content.decode()
