import pytest

from tugi.tickets import services as tickets
from tugi.tickets.models import TicketKind, TicketSource


@pytest.fixture
def chargeable(cast):
    """A ticket of organisation A on a chargeable service, reported by client_a and assigned to the agent."""
    cast.service.is_chargeable = True
    cast.service.save(update_fields=["is_chargeable"])
    ticket = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.SERVICE_REQUEST,
                                   title="Install the ERP add-on", source=TicketSource.PORTAL,
                                   configuration_items=[cast.ci_a])
    return tickets.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)


@pytest.fixture
def plain(cast):
    """A ticket of organisation A on no chargeable service, assigned to the agent."""
    ticket = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT,
                                   title="Printer jams", source=TicketSource.PORTAL)
    return tickets.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)
