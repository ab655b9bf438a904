"""K3 in the browser: the client postpones the work until a date and cancels another ticket, each
with a written reason that stays on the ticket for the desk to read."""

import datetime as dt

from django.utils import timezone

from tugi.tickets import services
from tugi.tickets.models import TicketKind, TicketSource, TicketState

from ..factories import PASSWORD


def report(cast, title):
    return services.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title=title,
                                  source=TicketSource.PORTAL)


def test_client_postpones_and_cancels_with_reasons_and_the_agent_reads_them_K3(page, signin, live_server, cast):
    to_postpone, to_cancel = report(cast, "Laptop is slow"), report(cast, "Printer jams")
    until = timezone.localdate() + dt.timedelta(days=7)

    signin(page, "anna", PASSWORD)
    page.goto(f"{live_server.url}/tickets/{to_postpone.reference}/")
    page.locator("details.card > summary").click()
    postpone = page.locator("form[action$='/decide/postpone/']")
    postpone.locator("textarea[name=reason]").fill("I am on holiday next week")
    postpone.locator("input[name=until]").fill(until.isoformat())
    with page.expect_navigation():
        postpone.locator("button[type=submit]").click()
    assert "I am on holiday next week" in page.locator("main").inner_text()

    page.goto(f"{live_server.url}/tickets/{to_cancel.reference}/")
    page.locator("details.card > summary").click()
    cancel = page.locator("form[action$='/decide/cancel/']")
    # The reason is required: the browser will not send the form without it.
    cancel.locator("button[type=submit]").click()
    assert cancel.locator("textarea[name=reason]").evaluate("el => el.validity.valueMissing")
    cancel.locator("textarea[name=reason]").fill("Solved it myself")
    with page.expect_navigation():
        cancel.locator("button[type=submit]").click()

    to_postpone.refresh_from_db()
    to_cancel.refresh_from_db()
    assert (to_postpone.state, to_postpone.postponed_until) == (TicketState.POSTPONED, until)
    assert (to_cancel.state, to_cancel.state_reason) == (TicketState.CANCELLED, "Solved it myself")

    page.context.clear_cookies()
    signin(page, "agent", PASSWORD)
    page.goto(f"{live_server.url}/console/tickets/{to_postpone.reference}/")
    text = page.locator("main").inner_text()
    assert "I am on holiday next week" in text
    assert until.strftime("%d.%m.%Y") in text or str(until.day) in text
