"""Walking through the solution in a real browser (K6, K5): the agent writes the resolution plan
and its steps in the console and marks the first step done; the client reads the plan in the
portal and confirms the step; the agent sees the confirmation.

Run in English (switched with the header's language switch, as a person would), so the labels it
looks for stay the same whatever the Estonian catalogue says."""

from tugi.plans.models import SolutionStep
from tugi.tickets import services as tickets
from tugi.tickets.models import TicketKind, TicketSource

from ..factories import PASSWORD


def to_english(page):
    if page.locator("html").get_attribute("lang") != "en":
        with page.expect_navigation():
            page.locator("header form.lang button").click()
    assert page.locator("html").get_attribute("lang") == "en"


def submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def sign_out(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


def test_the_agent_plans_with_steps_and_the_client_confirms_a_step_K5_K6(page, live_server, signin, cast, screenshot):
    ticket = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="ERP does not open",
                                   source=TicketSource.PORTAL, configuration_items=[cast.ci_a])
    tickets.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)

    # The agent writes the plan and two steps, and marks the first done.
    signin(page, "agent", PASSWORD)
    to_english(page)
    page.goto(f"{live_server.url}/console/tickets/{ticket.reference}/")
    panel = page.locator("#plans")
    panel.get_by_label("Plan", exact=True).fill("Free disk space on the server, then restart the ERP service.")
    submit(page, panel.locator("form", has=page.get_by_role("button", name="Save the plan")))
    assert "The plan is saved" in page.locator(".messages").inner_text()
    for text in ("Free disk space on alfa-srv", "Restart the ERP service"):
        panel.get_by_label("Add a step").fill(text)
        submit(page, panel.locator("form", has=page.get_by_role("button", name="Add the step")))
    first = panel.locator("li", has_text="Free disk space on alfa-srv")
    submit(page, first.locator("form", has=page.get_by_role("button", name="Mark done")))
    assert "done, awaiting the client" in panel.locator("li", has_text="Free disk space on alfa-srv").inner_text()
    sign_out(page)

    # The client reads the plan and confirms the step.
    signin(page, "anna", PASSWORD)
    to_english(page)
    page.goto(f"{live_server.url}/tickets/{ticket.reference}/")
    panel = page.locator("#plans")
    assert "Free disk space on the server, then restart the ERP service." in panel.inner_text()
    step = panel.locator("li", has_text="Free disk space on alfa-srv")
    assert "done, waiting for your confirmation" in step.inner_text()
    assert panel.locator("li", has_text="Restart the ERP service").get_by_role("button").count() == 0
    screenshot(page, "portal-plan-steps")
    submit(page, step.locator("form", has=page.get_by_role("button", name="I confirm this step is done")))
    assert "Thank you for confirming the step." in page.locator(".messages").inner_text()
    assert "confirmed" in page.locator("#plans li", has_text="Free disk space on alfa-srv").inner_text()
    assert SolutionStep.objects.get(text="Free disk space on alfa-srv").confirmed_by_label == "Anna Alfa"
    sign_out(page)

    # The agent sees the confirmation on the ticket.
    signin(page, "agent", PASSWORD)
    page.goto(f"{live_server.url}/console/tickets/{ticket.reference}/")
    assert "Anna Alfa" in page.locator("#plans li", has_text="Free disk space on alfa-srv").inner_text()
