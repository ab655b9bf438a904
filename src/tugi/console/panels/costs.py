"""The costs panel of the console's ticket page (filled in by the costs flow)."""

TEMPLATE = "console/panels/costs.html"


def context(actor, ticket) -> dict | None:
    return None
