"""The mail threads of tickets (K2, K14): a reply finds its ticket by its Message-IDs."""

import pytest

from tugi.notifications.threads import (
    thread_message_ids,
    thread_message_record,
    thread_reference_for,
)
from tugi.tickets import services
from tugi.tickets.models import TicketKind, TicketSource

pytestmark = pytest.mark.django_db


def test_the_first_known_id_in_the_given_order_names_the_ticket():
    thread_message_record(reference="INC-000001", message_id="<a@tugi>", is_incoming=False)
    thread_message_record(reference="INC-000002", message_id="b@tugi", is_incoming=True)
    assert thread_reference_for(["<unknown@x>", "<b@tugi>", "a@tugi"]) == "INC-000002"
    assert thread_reference_for(["<unknown@x>"]) is None
    assert thread_reference_for([]) is None


def test_a_message_recorded_twice_keeps_its_first_ticket():
    thread_message_record(reference="INC-000001", message_id="<same@tugi>", is_incoming=True)
    thread_message_record(reference="INC-000009", message_id="<same@tugi>", is_incoming=True)
    assert thread_reference_for(["same@tugi"]) == "INC-000001"


def test_long_threads_keep_their_root_and_the_latest_ids():
    for n in range(30):
        thread_message_record(reference="INC-000001", message_id=f"<m{n}@tugi>", is_incoming=False)
    ids = thread_message_ids("INC-000001")
    assert len(ids) == 20 and ids[0] == "m0@tugi" and ids[-1] == "m29@tugi" and "m5@tugi" not in ids


def test_a_reclassified_ticket_keeps_its_thread(cast):
    ticket = services.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.SERVICE_REQUEST,
                                    title="Printer", source=TicketSource.EMAIL)
    thread_message_record(reference=ticket.reference, message_id="<first@client>", is_incoming=True)
    ticket = services.ticket_reclassify(actor=cast.actor("agent"), ticket=ticket, new_kind=TicketKind.INCIDENT,
                                        reason="It is broken")
    assert thread_reference_for(["first@client"]) == ticket.reference
