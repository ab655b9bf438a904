import pytest

from tugi.remote import services as remote
from tugi.tickets import services as tickets
from tugi.tickets.models import TicketKind, TicketSource

ACCOUNT = "tv-832-441-907"
PASSWORD = "Kuu-Sirp-77!"


@pytest.fixture
def ticket_a(cast):
    """An incident of organisation A on its CI, reported by client_a and assigned to the agent."""
    ticket = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="ERP is slow",
                                   source=TicketSource.PORTAL, configuration_items=[cast.ci_a])
    return tickets.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)


@pytest.fixture
def order(cast, ticket_a):
    return remote.remote_access_order(actor=cast.actor("client_a"), ticket=ticket_a, method="teamviewer",
                                      configuration_item=cast.ci_a, account_identifier=ACCOUNT, password=PASSWORD,
                                      notes="The PC is on from 8 to 17.")
