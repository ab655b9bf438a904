"""K16 in a real browser: chargeable work waits for the client's acceptance of the cost. The agent
is refused, a service manager prices the work, the client accepts it in the portal, the agent starts."""

from django.utils import translation

from tugi.costs.models import CostNotice, CostNoticeStatus
from tugi.costs.services import cost_accepted_before_start
from tugi.tickets import services
from tugi.tickets.models import TicketKind, TicketSource, TicketState

from ..factories import PASSWORD


def _signed_in(browser, signin, username):
    context = browser.new_context(locale="et-EE")
    page = context.new_page()
    signin(page, username, PASSWORD)
    return context, page


def test_chargeable_work_starts_after_the_client_accepts_the_cost_K16(
    page, browser, signin, live_server, screenshot, cast
):
    cast.service.is_chargeable = True
    cast.service.save(update_fields=["is_chargeable"])
    ticket = services.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.SERVICE_REQUEST,
                                    title="Install the ERP reporting add-on", source=TicketSource.PORTAL,
                                    configuration_items=[cast.ci_a])
    ticket = services.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)
    console_url = f"{live_server.url}/console/tickets/{ticket.reference}/"

    # The agent would start, and is refused with the reason.
    signin(page, "agent", PASSWORD)
    page.goto(console_url)
    start = page.locator("button[aria-describedby='why-start']")
    assert start.is_disabled()
    with translation.override("et"):
        reason = cost_accepted_before_start(ticket)
    assert reason and reason in page.locator("#why-start").inner_text()
    assert page.locator("#costs input[name='notice-amount']").count() == 0  # the desk has no price field (K20)

    # The service manager writes the cost notice with its amount.
    context, manager = _signed_in(browser, signin, "manager")
    manager.goto(console_url)
    manager.locator("#costs details summary").first.click()
    manager.fill("#costs textarea[name='notice-description']", "Licence for the reporting add-on")
    manager.fill("#costs input[name='notice-amount']", "240.00")
    with manager.expect_navigation():
        manager.locator("#costs form[action$='/notices/'] button[type=submit]").click()
    assert "240" in manager.locator("#costs").inner_text()
    context.close()
    notice = CostNotice.objects.get(ticket=ticket)
    assert notice.status == CostNoticeStatus.AWAITING_CLIENT

    # The client is asked politely, says yes in the portal.
    context, client = _signed_in(browser, signin, "anna")
    client.goto(f"{live_server.url}/tickets/{ticket.reference}/")
    box = client.locator(f"#cost-notice-{notice.pk}")
    assert "240" in box.inner_text()
    screenshot(client, "portal-cost-notice")
    with client.expect_navigation():
        box.locator("form[action$='/accept/'] button").click()
    assert client.locator(f"#cost-notice-{notice.pk}").count() == 0
    context.close()

    # Now the agent starts the work.
    page.goto(console_url)
    with page.expect_navigation():
        page.locator("form:has(input[name='action'][value='start']) button[type=submit]").click()
    ticket.refresh_from_db()
    assert ticket.state == TicketState.IN_PROGRESS
    screenshot(page, "console-cost-accepted")
