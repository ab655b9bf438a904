"""The plans panel of the portal's ticket page (filled in by the plans flow)."""

TEMPLATE = "portal/panels/plans.html"


def context(actor, ticket) -> dict | None:
    return None
