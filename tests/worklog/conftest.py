import pytest

from tugi.tickets import services as tickets
from tugi.tickets.models import TicketKind, TicketSource
from tugi.worklog import services


@pytest.fixture
def ticket(cast):
    """A ticket of organisation A on the ERP service, reported by client_a and assigned to the agent."""
    made = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="Alfa ERP is slow",
                                 source=TicketSource.PORTAL, service=cast.service)
    return tickets.ticket_assign(actor=cast.actor("agent"), ticket=made, assignee=cast.agent)


@pytest.fixture
def entry(cast, ticket):
    """90 billable minutes the agent logged on the ticket today."""
    from django.utils import timezone

    return services.time_entry_add(actor=cast.actor("agent"), ticket=ticket, work_date=timezone.localdate(),
                                   minutes=90, description="Replaced the ERP server's disk")
