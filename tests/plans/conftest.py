import pytest

from tugi.tickets import services as tickets
from tugi.tickets.models import TicketKind, TicketSource

from ..api.conftest import api  # noqa: F401  (callers of API v1 as the cast, for test_api)


@pytest.fixture
def ticket(cast):
    """Organisation A's incident on the ERP server, reported by Anna, assigned to the agent."""
    reported = tickets.ticket_create(
        actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="ERP does not open",
        source=TicketSource.PORTAL, configuration_items=[cast.ci_a],
    )
    return tickets.ticket_assign(actor=cast.actor("agent"), ticket=reported, assignee=cast.agent)
