"""The remote panel of the portal's ticket page (filled in by the remote flow)."""

TEMPLATE = "portal/panels/remote.html"


def context(actor, ticket) -> dict | None:
    return None
