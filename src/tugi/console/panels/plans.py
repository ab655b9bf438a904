"""The plans panel of the console's ticket page (filled in by the plans flow)."""

TEMPLATE = "console/panels/plans.html"


def context(actor, ticket) -> dict | None:
    return None
