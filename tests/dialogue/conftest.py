import pytest

from tugi.tickets import services as tickets
from tugi.tickets.models import TicketKind, TicketSource


@pytest.fixture
def ticket(cast):
    """A ticket of organisation A reported by client_a on the ERP service, assigned to the agent."""
    t = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="Payroll run fails",
                              source=TicketSource.PORTAL, configuration_items=[cast.ci_a])
    return tickets.ticket_assign(actor=cast.actor("agent"), ticket=t, assignee=cast.agent)


@pytest.fixture
def resolved(cast, ticket):
    return tickets.ticket_transition(actor=cast.actor("agent"), ticket=ticket, action="resolve",
                                     reason="Restarted the payroll job")
