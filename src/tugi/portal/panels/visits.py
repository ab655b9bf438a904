"""The visits panel of the portal's ticket page (filled in by the visits flow)."""

TEMPLATE = "portal/panels/visits.html"


def context(actor, ticket) -> dict | None:
    return None
