"""K19 in a real browser: the client orders remote support with the account and password of their
item; the ticket pages never show the password; the agent reveals it in the console and sees it,
and an audit event records the reveal."""

from tugi.core.models import AuditEvent
from tugi.remote.models import RemoteAccessOrder
from tugi.tickets import services
from tugi.tickets.models import TicketKind, TicketSource

from ..factories import PASSWORD

ACCOUNT = "1 204 998 321"
SECRET = "Sügis-Tuul-42"


def test_the_client_orders_remote_support_and_the_agent_reveals_it_K19(
    page, browser, signin, live_server, screenshot, cast
):
    ticket = services.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT,
                                    title="ERP reports hang", source=TicketSource.PORTAL,
                                    configuration_items=[cast.ci_a])
    services.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)
    portal_url = f"{live_server.url}/tickets/{ticket.reference}/"
    console_url = f"{live_server.url}/console/tickets/{ticket.reference}/"

    # The client orders from the ticket's page.
    context = browser.new_context(locale="et-EE")
    client = context.new_page()
    signin(client, "anna", PASSWORD)
    client.goto(portal_url)
    with client.expect_navigation():
        client.locator("#remote-order-link").click()
    form = client.locator("#remote-order")
    assert form.locator("select[name='ticket']").input_value() == ticket.reference
    form.locator("input[name='method'][value='teamviewer']").check()
    form.locator("select[name='configuration_item']").select_option(str(cast.ci_a.pk))
    form.locator("input[name='account_identifier']").fill(ACCOUNT)
    form.locator("input[name='password']").fill(SECRET)
    form.locator("textarea[name='notes']").fill("The PC is on from 8 to 17.")
    screenshot(client, "portal-remote-order")
    with client.expect_navigation():
        form.locator("button[type=submit]").click()
    assert client.url == portal_url
    order = RemoteAccessOrder.objects.get(ticket=ticket)
    panel = client.locator(f"#remote-order-{order.pk}")
    assert "••••" in panel.inner_text()
    assert SECRET not in client.content() and ACCOUNT not in client.content()
    context.close()

    # The agent's ticket page shows the mask only; "Reveal" shows the account once.
    signin(page, "agent", PASSWORD)
    page.goto(console_url)
    assert "••••" in page.locator(f"#remote-order-{order.pk}").inner_text()
    assert SECRET not in page.content() and ACCOUNT not in page.content()
    assert not AuditEvent.objects.filter(action="remote.reveal").exists()
    with page.expect_navigation():
        page.locator(f"#remote-order-{order.pk} form[action$='/reveal/'] button[type=submit]").click()
    assert page.locator("#revealed-account").inner_text() == ACCOUNT
    assert page.locator("#revealed-password").inner_text() == SECRET
    screenshot(page, "console-remote-reveal")
    event = AuditEvent.objects.get(action="remote.reveal")
    assert event.actor_label == "Agent Smith" and event.object_id == str(order.pk)
    assert SECRET not in str(event.changes) and ACCOUNT not in str(event.changes)

    # Back on the ticket, the secret is gone from the page again.
    page.goto(console_url)
    assert SECRET not in page.content()
