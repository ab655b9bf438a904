"""The remote panel of the console's ticket page: remote support ordered by the client, with a
"Reveal" button per active account (K19), and work by other parties on the ticket's items as a
warning, with a form to record more (K9)."""

from tugi.cmdb.selectors import third_party_work_current_for_items
from tugi.remote import policies, selectors
from tugi.tickets.selectors import ticket_ci_links_for

TEMPLATE = "console/panels/remote.html"


def context(actor, ticket) -> dict | None:
    orders = list(selectors.remote_orders_for(actor, ticket))
    items = [link.configuration_item for link in ticket_ci_links_for(actor, ticket)]
    third_party = list(third_party_work_current_for_items(actor, [ci.pk for ci in items])) if items else []
    for order in orders:
        order.ticket = ticket
    return {
        "orders": [(order, policies.reveal_refusal(actor, order)) for order in orders],
        "third_party": third_party,
        "items": items,
    }
