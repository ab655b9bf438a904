"""The remote panel of the portal's ticket page: the remote support ordered on the ticket, its
account shown only as "••••" (K19), and work by other parties on the ticket's items (K9)."""

from tugi.cmdb.selectors import third_party_work_current_for_items
from tugi.remote import selectors
from tugi.tickets.selectors import ticket_ci_links_for

TEMPLATE = "portal/panels/remote.html"


def context(actor, ticket) -> dict | None:
    orders = list(selectors.remote_orders_for(actor, ticket))
    item_ids = [link.configuration_item_id for link in ticket_ci_links_for(actor, ticket)]
    third_party = list(third_party_work_current_for_items(actor, item_ids)) if item_ids else []
    if not ticket.is_open and not orders and not third_party:
        return None
    return {"orders": orders, "third_party": third_party, "can_order": ticket.is_open}
