"""Rules of reporting that hold on every channel, not only on the portal's form (K1, K7, K2)."""

import pytest

from tugi.cmdb.models import ConfigurationItem
from tugi.core.errors import InvalidInput, NotFound
from tugi.directory.actors import actor_for_contact
from tugi.notifications.models import Notification
from tugi.tickets import services
from tugi.tickets.models import TicketKind, TicketSource

from ..factories import CIFactory

pytestmark = pytest.mark.django_db


def test_a_client_cannot_register_a_change_through_any_channel_K1(cast):
    with pytest.raises(InvalidInput) as refusal:
        services.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.CHANGE_REQUEST, title="New firewall",
                               source=TicketSource.API)
    assert refusal.value.field == "kind" and "changes" in refusal.value.message
    assert services.ticket_create(actor=cast.actor("agent"), kind=TicketKind.CHANGE_REQUEST, title="New firewall",
                                  source=TicketSource.AGENT).kind == TicketKind.CHANGE_REQUEST


def test_a_client_cannot_report_on_a_retired_item_K7(cast):
    retired = CIFactory(organisation=cast.org_a, name="Old printer", status=ConfigurationItem.Status.RETIRED)
    with pytest.raises(InvalidInput) as refusal:
        services.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="Paper jam",
                               source=TicketSource.API, configuration_items=[retired])
    assert refusal.value.field == "configuration_items" and "Old printer" in refusal.value.message


def test_confirming_an_item_that_is_not_on_the_ticket_is_not_found_K7(cast):
    ticket = services.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="Slow",
                                    source=TicketSource.PORTAL)
    with pytest.raises(NotFound):
        services.ticket_ci_confirm(actor=cast.actor("agent"), ticket=ticket, configuration_item=cast.ci_a)
    with pytest.raises(NotFound):
        services.ticket_ci_correct(actor=cast.actor("agent"), ticket=ticket, wrong=cast.ci_a, right=None)


def test_a_contact_acting_without_a_portal_account_is_not_told_of_their_own_reply_K2(cast):
    """Mail from a contact with no portal account (K14) acts as that contact: no "ticket updated"
    mail goes back to them about the reply they just sent."""
    contact = cast.client_a
    ticket = services.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="Slow",
                                    source=TicketSource.PORTAL)
    contact.user = None
    contact.save(update_fields=["user"])
    Notification.objects.all().delete()
    services.ticket_add_entry(actor=actor_for_contact(contact), ticket=ticket, body="More by mail")
    assert not Notification.objects.filter(recipient_email=contact.email).exists()
