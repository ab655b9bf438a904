"""The remote panel of the console's ticket page (filled in by the remote flow)."""

TEMPLATE = "console/panels/remote.html"


def context(actor, ticket) -> dict | None:
    return None
