"""The costs panel of the portal's ticket page (filled in by the costs flow)."""

TEMPLATE = "portal/panels/costs.html"


def context(actor, ticket) -> dict | None:
    return None
