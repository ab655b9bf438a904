"""The visits panel of the console's ticket page (filled in by the visits flow)."""

TEMPLATE = "console/panels/visits.html"


def context(actor, ticket) -> dict | None:
    return None
